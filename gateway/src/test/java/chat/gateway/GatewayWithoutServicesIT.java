package chat.gateway;

import static chat.shared.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.bus.Addresses;
import chat.shared.runtime.Readiness;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A gateway whose services are down or silent: answers are fast 503s, never hangs or 500s. */
class GatewayWithoutServicesIT {
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestEnv.env(TestEnv.isolationName(GatewayWithoutServicesIT.class)));
    env.put("BUS_TIMEOUT_MS", "300");
    env.put("VERTICLE_INSTANCES", "1");
    port = Integer.parseInt(env.get("PORT"));
    vertx = VertxFactory.local();
    result(GatewayVerticle.deployment(chat.shared.config.ChatConfig.from(env)).deploy(vertx));
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      result(vertx.close());
    }
  }

  private static String token(String user) {
    return TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims(user));
  }

  @Test
  @DisplayName("With no service running, API calls answer 503 unavailable at once while liveness stays 200")
  void servicesDown() {
    var r = result(http.get(port, "127.0.0.1", "/api/threads").putHeader("Authorization", "Bearer " + token("alice")).send());
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("unavailable", r.bodyAsJsonObject().getString("error"));
    assertEquals(200, result(http.get(port, "127.0.0.1", "/health/live").send()).statusCode());
    Throwable bridge = BridgeClient.connectFailure(vertx, port, "?access_token=" + token("alice"));
    assertTrue(bridge instanceof UpgradeRejectedException, String.valueOf(bridge));
    assertEquals(503, ((UpgradeRejectedException) bridge).getStatus());
  }

  @Test
  @DisplayName("A service that never answers gives 503 unavailable after the bus timeout, not a hang")
  void silentService() {
    var silent = vertx.eventBus().consumer(Addresses.USER_UPSERT, msg -> { });
    try {
      long start = System.nanoTime();
      var r = result(http.get(port, "127.0.0.1", "/api/threads").putHeader("Authorization", "Bearer " + token("bob")).send());
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals("unavailable", r.bodyAsJsonObject().getString("error"));
      assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered within the bus timeout, not hung");
    } finally {
      result(silent.unregister());
    }
  }

  @Test
  @DisplayName("Readiness answers 503 with the failing check when a dependency is down")
  void readinessDown() {
    Readiness.register(vertx, "test-dependency", () -> Future.failedFuture("down for the test"));
    try {
      var r = result(http.get(port, "127.0.0.1", "/health/ready").send());
      assertEquals(503, r.statusCode());
      JsonObject body = r.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("status"));
      assertTrue(body.getJsonObject("checks").getString("test-dependency").startsWith("DOWN"));
    } finally {
      Readiness.unregister(vertx, "test-dependency");
    }
    assertEquals(200, result(http.get(port, "127.0.0.1", "/health/ready").send()).statusCode());
  }
}
