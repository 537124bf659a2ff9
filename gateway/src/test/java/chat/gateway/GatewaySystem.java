package chat.gateway;

import static chat.shared.testing.Await.result;

import chat.shared.testing.BridgeClient;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestEnv;
import chat.unread.UnreadVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole system in one Vert.x for gateway tests: the real messaging, unread and presence
 * (in-memory) verticles against the machine's Postgres in a schema of the test class's own, and the
 * gateway under test ({@value #GATEWAY_INSTANCES} instances), with a WebClient and token helpers.
 */
public final class GatewaySystem implements AutoCloseable {
  /** Two instances, so every gateway test also covers state shared across event loops. */
  static final int GATEWAY_INSTANCES = 2;
  public final Vertx vertx;
  public final ChatConfig config;
  public final WebClient http;
  public final int port;
  private String presenceDeployment;

  private GatewaySystem(Vertx vertx, ChatConfig config, int port, String presenceDeployment) {
    this.vertx = vertx;
    this.config = config;
    this.port = port;
    this.presenceDeployment = presenceDeployment;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(64));
  }

  public static GatewaySystem start(Class<?> testClass) {
    return start(testClass, env -> {}, null);
  }

  /** Starts the system; {@code env} may change the configuration, {@code limits} override the defaults. */
  public static GatewaySystem start(Class<?> testClass, Consumer<Map<String, String>> env, RateLimits limits) {
    Map<String, String> map = new HashMap<>(TestEnv.env(TestEnv.isolationName(testClass)));
    map.remove("REDIS_URL");
    map.put("VERTICLE_INSTANCES", String.valueOf(GATEWAY_INSTANCES));
    env.accept(map);
    ChatConfig config = ChatConfig.from(map);
    Vertx vertx = VertxFactory.local();
    String presence;
    try {
      result(MessagingVerticle.deployment(config).deploy(vertx));
      result(UnreadVerticle.deployment(config).deploy(vertx));
      presence = result(PresenceVerticle.deployment(config).deploy(vertx));
      result(GatewayVerticle.deployment(config, limits == null ? RateLimits.defaults(config.rateLimits()) : limits)
          .deploy(vertx));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    return new GatewaySystem(vertx, config, config.port(), presence);
  }

  /** Restarts presence-service with an empty (in-memory) store, as if it had lost every entry. */
  public void restartPresence() {
    result(vertx.undeploy(presenceDeployment));
    presenceDeployment = result(PresenceVerticle.deployment(config).deploy(vertx));
  }

  @Override
  public void close() {
    http.close();
    try {
      for (String id : java.util.List.copyOf(vertx.deploymentIDs())) {
        result(vertx.undeploy(id));
      }
      TestEnv.dropSchema(vertx, config);
    } finally {
      result(vertx.close());
    }
  }

  /** A user id of its own for one test: {@code prefix} and a random suffix. */
  public static String user(String prefix) {
    return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** A valid HS256 token for {@code userId}, signed with the test secret. */
  public String token(String userId) {
    return TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims(userId));
  }

  public Response get(String token, String path) {
    return call(HttpMethod.GET, token, path, null);
  }

  public Response post(String token, String path, Object body) {
    return call(HttpMethod.POST, token, path, body);
  }

  public Response delete(String token, String path) {
    return call(HttpMethod.DELETE, token, path, null);
  }

  /** {@code body}: a JsonObject/JsonArray (encoded), a String or Buffer (sent as is), or null (no body). */
  public Response call(HttpMethod method, String token, String path, Object body) {
    HttpRequest<Buffer> request = http.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> response;
    if (body == null) {
      response = result(request.send());
    } else {
      Buffer buffer;
      if (body instanceof Buffer b) {
        buffer = b;
      } else if (body instanceof String s) {
        buffer = Buffer.buffer(s);
      } else if (body instanceof JsonObject j) {
        buffer = j.toBuffer();
      } else if (body instanceof JsonArray a) {
        buffer = a.toBuffer();
      } else {
        throw new IllegalArgumentException(String.valueOf(body));
      }
      response = result(request.putHeader("Content-Type", "application/json").sendBuffer(buffer));
    }
    return new Response(response.statusCode(), response.bodyAsString(), response.headers());
  }

  /** Creates a thread as {@code creator} with the given members; returns its id. */
  public String createThread(String creator, String title, String... members) {
    Response r = post(token(creator), "/api/threads",
        new JsonObject().put("title", title).put("memberIds", new JsonArray(java.util.List.of(members))));
    if (r.status() != 201) {
      throw new AssertionError("create thread: " + r);
    }
    return r.json().getString("id");
  }

  public JsonObject sendMessage(String author, String threadId, String text) {
    Response r = post(token(author), "/api/threads/" + threadId + "/messages", new JsonObject().put("body", text));
    if (r.status() != 201) {
      throw new AssertionError("send: " + r);
    }
    return r.json().getJsonObject("message");
  }

  public BridgeClient bridge(String userId) {
    return BridgeClient.connect(vertx, port, token(userId));
  }

  /** An HTTP answer: status, raw body and headers. */
  public record Response(int status, String body, MultiMap headers) {
    public JsonObject json() {
      return body == null || body.isEmpty() ? null : new JsonObject(body);
    }

    public String error() {
      JsonObject json = json();
      return json == null ? null : json.getString("error");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
