package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SockJS sessions of the http transports (xhr, xhr_send, eventsource...) are addressed by a
 * client-chosen id in the path ({@code /eventbus/<server>/<session>/<transport>}); the session keeps
 * the user of the request that opened it. This check makes sure a request for an existing session
 * carries a token of that same user, so no one can write into another user's session even if they
 * learn its id (403 forbidden otherwise). It runs after {@link AuthHandler#accessTokenParam}.
 */
public final class SessionOwnership implements Handler<RoutingContext> {
  private static final String MOUNT = "/eventbus/";

  private final Map<String, String> owners = new ConcurrentHashMap<>();

  @Override
  public void handle(RoutingContext rc) {
    String session = sessionId(rc.normalizedPath());
    String owner = session == null ? null : owners.get(session);
    if (owner != null && !owner.equals(AuthUser.of(rc).userId())) {
      rc.fail(new ChatException(ErrorCode.FORBIDDEN, "This bridge session belongs to another user"));
      return;
    }
    rc.next();
  }

  /** Records the owner of the session a new bridge socket was opened on (raw WebSockets have none). */
  public void opened(String path, String userId) {
    String session = sessionId(path);
    if (session != null) {
      owners.put(session, userId);
    }
  }

  public void closed(String path) {
    String session = sessionId(path);
    if (session != null) {
      owners.remove(session);
    }
  }

  static String sessionId(String path) {
    if (path == null) {
      return null;
    }
    int at = path.indexOf(MOUNT);
    if (at < 0) {
      return null;
    }
    String[] parts = path.substring(at + MOUNT.length()).split("/", -1);
    return parts.length == 3 && !parts[1].isEmpty() ? parts[1] : null;
  }
}
