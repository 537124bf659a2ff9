package chat.gateway;

import static chat.shared.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.ChatProcess;
import chat.shared.testing.OneRequest;
import chat.shared.testing.OneRequest.Answer;
import chat.shared.testing.TestEnv;
import chat.unread.UnreadVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where the gateway listens: the operations endpoints on OPS_PORT only, and the address HOST names. */
class GatewayPortsIT {

  @Test
  @DisplayName("With OPS_PORT set, /metrics and /health/* answer there and are 404 not_found on the public port")
  void operationsOffThePublicPort() {
    int ops = TestEnv.freePort();
    Map<String, String> env = env("ops");
    env.put("OPS_PORT", String.valueOf(ops));
    ChatProcess process = process(env);
    ChatConfig config = result(process.start());
    Vertx vertx = process.vertx();
    try {
      for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
        Answer pub = get(vertx, config.port(), "127.0.0.1", path);
        assertEquals(404, pub.status(), "public " + path + " -> " + pub);
        assertEquals("not_found", new JsonObject(pub.body()).getString("error"));
        assertEquals(200, get(vertx, ops, "127.0.0.1", path).status(), "ops " + path);
      }
      assertEquals(401, get(vertx, config.port(), "127.0.0.1", "/api/threads").status(), "the API is on the public port");
    } finally {
      TestEnv.dropSchema(vertx, config);
      process.stop();
    }
  }

  @Test
  @DisplayName("HOST=127.0.0.1 accepts loopback connections only; without HOST every address is served and dev login warns")
  void bindAddress() {
    Map<String, String> local = env("local");
    local.put("HOST", "127.0.0.1");
    local.put("CHAT_DEV_LOGIN", "true");
    String[] log = new String[1];
    log[0] = ErrorBodiesIT.capturingStderr(() -> {
      ChatProcess process = process(local);
      ChatConfig config = result(process.start());
      Vertx vertx = process.vertx();
      try {
        assertEquals(200, get(vertx, config.port(), "127.0.0.1", "/health/live").status());
        assertEquals(-1, get(vertx, config.port(), "127.0.0.2", "/health/live").status(), "127.0.0.2 is refused");
      } finally {
        TestEnv.dropSchema(process.vertx(), config);
        process.stop();
      }
    });
    assertFalse(log[0].contains("DEV LOGIN IS ON"), "no warning on loopback");

    Map<String, String> open = env("open");
    open.remove("HOST");
    open.put("CHAT_DEV_LOGIN", "true");
    log[0] = ErrorBodiesIT.capturingStderr(() -> {
      ChatProcess process = process(open);
      ChatConfig config = result(process.start());
      Vertx vertx = process.vertx();
      try {
        assertEquals(200, get(vertx, config.port(), "127.0.0.2", "/health/live").status(), "every address is served");
      } finally {
        TestEnv.dropSchema(process.vertx(), config);
        process.stop();
      }
    });
    assertTrue(log[0].contains("DEV LOGIN IS ON AND THE GATEWAY LISTENS ON 0.0.0.0"), "the loud warning");
  }

  private static Map<String, String> env(String suffix) {
    Map<String, String> env = new HashMap<>(TestEnv.env(TestEnv.isolationName(GatewayPortsIT.class) + suffix));
    env.remove("REDIS_URL");
    env.put("CLUSTER_ENABLED", "false");
    env.put("VERTICLE_INSTANCES", "1");
    env.put("PORT", String.valueOf(TestEnv.freePort()));
    return env;
  }

  private static ChatProcess process(Map<String, String> env) {
    return ChatProcess.named("gateway-test", env).deploying(config -> List.of(
        MessagingVerticle.deployment(config), UnreadVerticle.deployment(config),
        PresenceVerticle.deployment(config), GatewayVerticle.deployment(config)));
  }

  /** The answer, or status -1 when the connection is refused. */
  private static Answer get(Vertx vertx, int port, String host, String path) {
    try {
      return OneRequest.send(vertx, new RequestOptions().setMethod(HttpMethod.GET).setPort(port).setHost(host).setURI(path), null);
    } catch (RuntimeException e) {
      return new Answer(-1, MultiMap.caseInsensitiveMultiMap(), String.valueOf(e.getMessage()));
    }
  }
}
