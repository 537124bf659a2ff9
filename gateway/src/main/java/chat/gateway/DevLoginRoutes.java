package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.bus.Bodies;
import chat.shared.auth.Jwts;
import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/dev/token {"userId","name"}} -> {@code {"token"}}: a development login that signs
 * an HS256 token for any valid user id and upserts the user. When dev login is off the route answers
 * 404, as if it did not exist.
 */
public final class DevLoginRoutes {
  private final Vertx vertx;
  private final ChatConfig config;
  private final UserDirectory users;

  public DevLoginRoutes(Vertx vertx, ChatConfig config, UserDirectory users) {
    this.vertx = vertx;
    this.config = config;
    this.users = users;
  }

  /** Dev login when it is off: the route does not exist (404), whatever the method. */
  public static void disabled(RoutingContext rc) {
    rc.fail(new ChatException(ErrorCode.NOT_FOUND));
  }

  /** {@code POST /api/dev/token}'s body. */
  record DevLogin(String userId, String name) {
    DevLogin {
      userId = Requests.userId(userId, "userId");
    }
  }

  public void token(RoutingContext rc) {
    if (rc.request().method() != HttpMethod.POST) {
      throw new ChatException(ErrorCode.METHOD_NOT_ALLOWED);
    }
    DevLogin login = Bodies.decode(JsonBodies.object(rc), DevLogin.class);
    String userId = login.userId();
    String name = TokenVerifier.displayName(login.name(), userId);
    String token = Jwts.devToken(vertx, config, userId, name);
    users.upsert(new AuthUser(userId, name))
        .onSuccess(v -> JsonBodies.send(rc, 200, new JsonObject().put("token", token)))
        .onFailure(rc::fail);
  }
}
