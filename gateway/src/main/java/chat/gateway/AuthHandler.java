package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Authenticates a request before any route sees it: the JWT comes from the {@code Authorization:
 * Bearer} header (HTTP API) or from the {@code access_token} query parameter (the bridge), is
 * verified, the user row is upserted on first sight, and the caller is put on the context
 * ({@link AuthUser#of}). Anything else fails the request with {@code unauthorized} (401).
 */
public final class AuthHandler implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";

  private final TokenVerifier verifier;
  private final UserDirectory users;
  private final Function<RoutingContext, String> token;

  private AuthHandler(TokenVerifier verifier, UserDirectory users, Function<RoutingContext, String> token) {
    this.verifier = verifier;
    this.users = users;
    this.token = token;
  }

  public static AuthHandler bearer(TokenVerifier verifier, UserDirectory users) {
    return new AuthHandler(verifier, users, AuthHandler::bearerToken);
  }

  public static AuthHandler accessTokenParam(TokenVerifier verifier, UserDirectory users) {
    return new AuthHandler(verifier, users, AuthHandler::accessTokenParam);
  }

  @Override
  public void handle(RoutingContext rc) {
    String jwt;
    try {
      jwt = token.apply(rc);
    } catch (RuntimeException e) {
      rc.fail(new ChatException(ErrorCode.UNAUTHORIZED));
      return;
    }
    boolean paused = !rc.request().isEnded();
    if (paused) {
      rc.request().pause();
    }
    verifier.verify(jwt)
        .compose(user -> users.ensure(user).map(user))
        .onComplete(ar -> {
          if (paused) {
            rc.request().resume();
          }
          if (ar.succeeded()) {
            rc.put(AuthUser.KEY, ar.result());
            rc.next();
          } else {
            rc.fail(ar.cause());
          }
        });
  }

  static String bearerToken(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    if (header == null || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    return header.substring(BEARER.length()).trim();
  }

  private static String accessTokenParam(RoutingContext rc) {
    return rc.request().getParam("access_token");
  }
}
