package chat.gateway;

import chat.shared.bus.Addresses;
import chat.shared.bus.SharedEvent;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards every bridge event of a socket whose user was verified before the bridge (see
 * {@link AuthHandler#accessTokenParam}):
 * <ul>
 *   <li>SOCKET_CREATED completes at once, without I/O (frames that arrive while it is pending would be
 *       dropped): the user is read from the socket's routing context; over the per-user or per-IP
 *       connection limit, or without a user, the socket is closed.
 *   <li>REGISTER {@code chat.user.<id>} only for the socket's own user; {@code chat.thread.<id>} only
 *       after messaging confirms membership; at most {@code registrationsPerSocket} addresses. A refusal
 *       reaches the client as an error frame and registers nothing.
 *   <li>RECEIVE of a thread's event only while the thread is in the connection's member set (O(1));
 *       a member removal empties it for that thread at once. A {@link SharedEvent} body is written from
 *       its once-encoded frame.
 *   <li>SEND to the six inbound addresses only, rewritten so that the authenticated {@code userId}
 *       and the {@code connectionId} are the only headers and any {@code userId} in the body is
 *       replaced; PUBLISH to them is refused (they are request/reply).
 *   <li>SOCKET_ERROR (for example a frame over {@code MAX_FRAME_BYTES}) closes the socket: the bridge
 *       has already forgotten it, so it must not linger half-open.
 *   <li>SOCKET_CLOSED tells presence the connection is gone.
 * </ul>
 */
public final class BridgeGuard implements Handler<BridgeEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);
  static final Pattern THREAD_ADDRESS = Pattern.compile(
      "chat\\.thread\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  static final Set<String> INBOUND = Set.of(
      Addresses.CLIENT_THREAD_JOIN, Addresses.CLIENT_THREAD_LEAVE,
      Addresses.CLIENT_TYPING_START, Addresses.CLIENT_TYPING_STOP,
      Addresses.CLIENT_MESSAGE_SEND, Addresses.CLIENT_THREAD_READ);
  static final String HEADER_USER_ID = "userId";
  static final String HEADER_CONNECTION_ID = "connectionId";

  private final Vertx vertx;
  private final TimedBus bus;
  private final Connections connections;
  private final RateLimits limits;
  private final SessionOwnership sessions;

  public BridgeGuard(Vertx vertx, TimedBus bus, Connections connections, RateLimits limits, SessionOwnership sessions) {
    this.vertx = vertx;
    this.bus = bus;
    this.connections = connections;
    this.limits = limits;
    this.sessions = sessions;
  }

  @Override
  public void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    if (type == BridgeEventType.SOCKET_CREATED) {
      event.complete(opened(event.socket()));
      return;
    }
    if (type == BridgeEventType.SOCKET_CLOSED) {
      closed(event.socket());
      event.complete(true);
      return;
    }
    Connection connection = connections.of(event.socket());
    switch (type) {
      case REGISTER -> register(event, connection);
      case UNREGISTER -> {
        if (connection != null) {
          connection.release(address(event));
        }
        event.complete(true);
      }
      case RECEIVE -> receive(event, connection);
      case SEND -> event.complete(connection != null && stampInbound(event, connection));
      case PUBLISH -> event.complete(false);
      case SOCKET_ERROR -> {
        event.complete(true);
        event.socket().close();
      }
      default -> event.complete(true);
    }
  }

  private boolean opened(SockJSSocket socket) {
    AuthUser user = AuthUser.orNull(socket.routingContext());
    if (user == null) {
      return false;
    }
    String ip = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
    Connection connection = connections.open(socket, user, ip);
    if (connection == null) {
      LOG.info("Bridge connection refused: connection limit reached for a user or IP");
      return false;
    }
    sessions.opened(socket.routingContext().normalizedPath(), user.userId());
    return true;
  }

  private void closed(SockJSSocket socket) {
    Connection connection = connections.close(socket);
    if (connection == null) {
      return;
    }
    sessions.closed(socket.routingContext().normalizedPath());
    bus.request(Addresses.PRESENCE_DISCONNECT, new JsonObject()
            .put("userId", connection.userId())
            .put("connectionId", connection.connectionId())
            .put("gatewayId", ClusterNode.nodeId(vertx)))
        .onFailure(t -> LOG.warn("Presence disconnect failed: {}", t.getMessage()));
  }

  private void register(BridgeEvent event, Connection connection) {
    String address = address(event);
    if (connection == null || address == null) {
      event.complete(false);
      return;
    }
    if (address.startsWith(Addresses.USER_PREFIX)) {
      boolean own = address.equals(Addresses.user(connection.userId()));
      event.complete(own && connection.reserve(address, maxRegistrations()));
      return;
    }
    var matcher = THREAD_ADDRESS.matcher(address);
    if (!matcher.matches() || !connection.reserve(address, maxRegistrations())) {
      event.complete(false);
      return;
    }
    String threadId = matcher.group(1);
    bus.request(Addresses.MEMBER_CHECK, new JsonObject().put("userId", connection.userId()).put("threadId", threadId))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            connection.verifiedMember(threadId);
            event.complete(true);
          } else {
            connection.release(address);
            event.complete(false);
          }
        });
  }

  private int maxRegistrations() {
    return limits.enabled() ? limits.registrationsPerSocket() : RateLimits.MAX_BRIDGE_HANDLERS;
  }

  /**
   * A permitted delivery whose body is a {@link SharedEvent} is written here from the event's frame,
   * encoded once for every socket, and the bridge is told not to write it again (completed false);
   * any other body is left to the bridge to encode.
   */
  private static void receive(BridgeEvent event, Connection connection) {
    String address = address(event);
    if (connection == null || !mayReceive(connection, address)) {
      event.complete(false);
      return;
    }
    JsonObject raw = event.getRawMessage();
    if (raw.getValue("body") instanceof SharedEvent shared && raw.size() == 3) {
      event.socket().write(shared.bridgeFrame(address).copy());
      event.complete(false);
      return;
    }
    event.complete(true);
  }

  /**
   * Only addresses this guard let the socket register are ever delivered to it, and a thread enters the
   * member set only with a validated id, so a prefix check and a set lookup suffice (no pattern match
   * per delivery).
   */
  static boolean mayReceive(Connection connection, String address) {
    if (address == null) {
      return false;
    }
    if (address.startsWith(Addresses.THREAD_PREFIX)) {
      return connection.isMemberOf(address.substring(Addresses.THREAD_PREFIX.length()));
    }
    return true;
  }

  private static boolean stampInbound(BridgeEvent event, Connection connection) {
    JsonObject raw = event.getRawMessage();
    if (raw == null || !INBOUND.contains(address(event))) {
      return false;
    }
    JsonObject stamped = raw.copy();
    if (stamped.getValue("body") instanceof JsonObject body) {
      body.put("userId", connection.userId());
    }
    stamped.put("headers", new JsonObject()
        .put(HEADER_USER_ID, connection.userId())
        .put(HEADER_CONNECTION_ID, connection.connectionId()));
    event.setRawMessage(stamped);
    return true;
  }

  private static String address(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    Object address = raw == null ? null : raw.getValue("address");
    return address instanceof String s ? s : null;
  }
}
