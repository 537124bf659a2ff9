package chat.gateway;

import static chat.shared.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.runtime.ChatMetrics;
import chat.shared.testing.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rate limits with {@code REDIS_URL} set: two gateways on one Redis allow a user the limit once between
 * them; a gateway whose Redis does not answer still limits, on its own.
 */
class SharedRateLimitIT {
  private static final int BURST = 5;
  private static final RateLimits LIMITS = RateLimits.defaults(true).withSends(0.2, BURST);
  private static GatewaySystem system;
  private static int secondPort;
  private static int noRedisPort;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(SharedRateLimitIT.class, env -> env.put("REDIS_URL", TestEnv.redisUrl()), LIMITS);
    secondPort = deployGateway(TestEnv.redisUrl());
    noRedisPort = deployGateway("redis://127.0.0.1:" + TestEnv.freePort());
  }

  /** Another gateway of the same system, on a port of its own, with the given Redis. */
  private static int deployGateway(String redisUrl) {
    Map<String, String> env = new HashMap<>(TestEnv.env(system.config.pg().schema()));
    env.put("REDIS_URL", redisUrl);
    env.put("REDIS_PREFIX", system.config.redisPrefix());
    int port = TestEnv.freePort();
    env.put("PORT", String.valueOf(port));
    env.put("VERTICLE_INSTANCES", "1");
    result(GatewayVerticle.deployment(ChatConfig.from(env), LIMITS).deploy(system.vertx));
    return port;
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  private static int send(int port, String token, String threadId) {
    HttpResponse<Buffer> r = result(system.http.post(port, "127.0.0.1", "/api/threads/" + threadId + "/messages")
        .putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("body", "hi")));
    return r.statusCode();
  }

  @Test
  @DisplayName("Two gateways on one Redis together allow a user one burst of sends, not one each")
  void twoGatewaysShareOneLimit() {
    String alice = GatewaySystem.user("alice");
    String threadId = system.createThread(alice, "limits");
    String token = system.token(alice);
    int created = 0;
    int limited = 0;
    for (int i = 0; i < 4 * BURST; i++) {
      int status = send(i % 2 == 0 ? system.port : secondPort, token, threadId);
      created += status == 201 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
    }
    // The sustained rate may add one token while the sends run.
    assertTrue(created >= BURST && created <= BURST + 1, "sends allowed across both gateways: " + created);
    assertEquals(4 * BURST - created, limited, "the others are 429");
  }

  @Test
  @DisplayName("With Redis unreachable, a gateway falls back to its own limit (never to none) and counts the fallbacks")
  void redisDownFallsBackToTheLocalLimit() {
    String bob = GatewaySystem.user("bob");
    String threadId = system.createThread(bob, "no redis");
    String token = system.token(bob);
    double before = fallbacks();
    int created = 0;
    for (int i = 0; i < 3 * BURST; i++) {
      created += send(noRedisPort, token, threadId) == 201 ? 1 : 0;
    }
    assertTrue(created >= BURST && created <= BURST + 1, "the gateway's own limit holds: " + created);
    assertTrue(fallbacks() - before >= 3 * BURST, "every check was counted as a fallback");
  }

  private static double fallbacks() {
    return ChatMetrics.registry().find("chat_rate_limit_fallback_total").tag("limit", "send").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
