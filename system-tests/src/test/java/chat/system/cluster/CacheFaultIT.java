package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.OwnRedis;
import chat.shared.testing.TestEnv;
import chat.standalone.StandaloneMain;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Redis (a server of the test's own) stops and comes back empty while users chat: presence and typing
 * fail fast and say so, everything else (sends, live delivery, history, badges) keeps working, and
 * presence recovers without a restart, the gateway re-joining its live connections.
 */
class CacheFaultIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static OwnRedis redis;
  private static Vertx vertx;
  private static ChatConfig config;
  private static ChatHttp http;

  @BeforeAll
  static void start() throws Exception {
    redis = new OwnRedis();
    redis.start();
    Map<String, String> env = new HashMap<>(TestEnv.env(TestEnv.isolationName(CacheFaultIT.class)));
    env.put("REDIS_URL", redis.url());
    env.put("HEARTBEAT_SECONDS", "1");
    env.put("BUS_TIMEOUT_MS", "3000");
    config = ChatConfig.from(env);
    vertx = VertxFactory.local();
    Deployment.inOrder(vertx, StandaloneMain.deployments(config)).await();
    http = new ChatHttp(vertx, config.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      http.close();
      TestEnv.dropSchema(vertx, config);
      vertx.close().await();
    }
    redis.close();
  }

  @Test
  @DisplayName("While Redis is down, joins fail fast with 503 and readiness is red, but sends, live delivery and badges keep working; when Redis returns empty, everyone connected is online again")
  void redisOutageOnlyDegradesPresence() throws Exception {
    String alice = http.devToken("alice");
    String bob = http.devToken("bob");
    String thread = http.createThread(alice, "cache fault", "bob");
    try (BridgeClient bobBridge = BridgeClient.connect(vertx, config.port(), bob);
        BridgeClient aliceBridge = BridgeClient.connect(vertx, config.port(), alice)) {
      bobBridge.register(Addresses.thread(thread));
      JsonObject joined = bobBridge.call(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread), WAIT);
      assertEquals(new JsonArray().add("bob"), joined.getJsonArray("onlineUserIds"));

      redis.stop();

      long start = System.nanoTime();
      BridgeClient.BridgeFailure failure = assertThrows(BridgeClient.BridgeFailure.class, () ->
          aliceBridge.call(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread), WAIT));
      assertTrue(failure.getMessage().startsWith("503 unavailable"), failure.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "the join must fail fast");
      assertEquals(503, http.get("/health/ready").statusCode(), "readiness reports the cache down");

      int mark = bobBridge.mark();
      ChatHttp.expect(201, http.send(alice, thread, "still here", "c-1"), "send while Redis is down");
      bobBridge.awaitEvent(mark, Addresses.thread(thread), e -> "message:new".equals(e.getString("type")), WAIT);
      assertEquals(1, http.history(bob, thread).size());
      JsonObject badge = new JsonObject(http.get(bob, "/api/threads/unread").bodyAsString());
      assertEquals(1, badge.getInteger("total"));

      redis.start();

      int before = bobBridge.mark();
      JsonObject back = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (back == null && System.nanoTime() < deadline) {
        try {
          back = aliceBridge.call(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread), WAIT);
        } catch (BridgeClient.BridgeFailure stillDown) {
          Thread.sleep(200);
        }
      }
      assertTrue(back != null, "joins work again once Redis is back, without a restart");
      bobBridge.awaitEvent(before, Addresses.thread(thread), e -> "presence:update".equals(e.getString("type"))
          && e.getJsonArray("onlineUserIds").equals(new JsonArray().add("alice").add("bob")), WAIT);
      assertEquals(200, http.get("/health/ready").statusCode(), "readiness recovers");
    }
  }
}
