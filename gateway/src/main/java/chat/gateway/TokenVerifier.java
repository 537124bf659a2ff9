package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.auth.Jwts;
import chat.shared.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * Verifies a JWT (signature, algorithm, expiry, not-before, issuer and audience as configured) and
 * reads the caller from it: {@code sub} must be a valid user id, {@code name} defaults to it. Every
 * refusal is {@code unauthorized}; the token itself never appears in a message or a log.
 */
public final class TokenVerifier {
  static final int MAX_NAME_CHARS = 200;
  private static final int MAX_TOKEN_CHARS = 8192;

  private final JWTAuth jwt;

  public TokenVerifier(Vertx vertx, ChatConfig config) {
    this.jwt = Jwts.verifier(vertx, config);
  }

  public Future<AuthUser> verify(String token) {
    if (token == null || token.isBlank() || token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(unauthorized());
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(unauthorized()))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          Object sub = claims == null ? null : claims.getValue("sub");
          if (!(sub instanceof String userId) || !Requests.isUserId(userId)) {
            return Future.failedFuture(unauthorized());
          }
          return Future.succeededFuture(new AuthUser(userId, displayName(claims.getValue("name"), userId)));
        });
  }

  static String displayName(Object claim, String userId) {
    if (!(claim instanceof String name) || name.isBlank()) {
      return userId;
    }
    String trimmed = name.strip();
    return trimmed.length() > MAX_NAME_CHARS ? trimmed.substring(0, MAX_NAME_CHARS) : trimmed;
  }

  private static ChatException unauthorized() {
    return new ChatException(ErrorCode.UNAUTHORIZED);
  }
}
