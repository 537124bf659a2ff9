package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.ext.web.RoutingContext;

/**
 * The authenticated caller of a request or bridge connection: the token's {@code sub} and {@code name},
 * and when the token expires ({@code exp}, epoch ms; a bridge connection is closed then).
 */
public record AuthUser(String userId, String name, long expiresAtMs) {
  static final String KEY = "chat.authUser";

  public AuthUser(String userId, String name) {
    this(userId, name, Long.MAX_VALUE);
  }

  /** The caller put on the context by {@link AuthHandler}; unauthorized if there is none. */
  public static AuthUser of(RoutingContext rc) {
    AuthUser user = rc.get(KEY);
    if (user == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED);
    }
    return user;
  }

  /** The caller of a request, or null when it was not authenticated. */
  public static AuthUser orNull(RoutingContext rc) {
    return rc == null ? null : rc.get(KEY);
  }
}
