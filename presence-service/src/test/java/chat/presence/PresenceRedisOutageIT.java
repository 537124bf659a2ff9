package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BusEvents;
import chat.shared.testing.Await;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.model.Events;
import chat.shared.runtime.Readiness;
import chat.shared.testing.OwnRedis;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** presence-service on a Redis of the test's own that goes away and comes back. */
@DisplayName("presence-service when Redis goes away")
class PresenceRedisOutageIT {
  private static OwnRedis redis;
  private Vertx vertx;
  private Bus bus;
  private final String thread = UUID.randomUUID().toString();
  private BusEvents events;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = new OwnRedis();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void deploy() throws Exception {
    if (!redis.isRunning()) {
      redis.start();
    }
    Map<String, String> env = TestEnv.env(TestEnv.isolationName(PresenceRedisOutageIT.class));
    env.put("REDIS_URL", redis.url());
    vertx = Vertx.vertx();
    Await.result(vertx.deployVerticle(new PresenceVerticle(ChatConfig.from(env))));
    bus = new Bus(vertx, 10_000);
    events = BusEvents.open(vertx, Addresses.thread(thread));
  }

  @AfterEach
  void undeploy() throws Exception {
    redis.thaw();
    events.close();
    Await.result(vertx.close());
  }

  private io.vertx.core.Future<JsonObject> join(String user) {
    return bus.request(Addresses.PRESENCE_JOIN, new JsonObject()
        .put("threadId", thread).put("userId", user).put("connectionId", user + "-1").put("gatewayId", "gw-1"));
  }

  private JsonObject readiness() {
    return Await.result(Readiness.check(vertx));
  }

  private void assertAnsweredUnavailable(io.vertx.core.Future<JsonObject> request) {
    ChatException e = (ChatException) Await.failure(request);
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("Presence store"), () -> "the service itself answered, not a bus timeout: " + e.getMessage());
  }

  private void awaitRecovery(String user) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        Await.result(join(user));
        return;
      } catch (ChatException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  @DisplayName("With Redis stopped, presence answers 'unavailable' at once, readiness is DOWN with one clear warning, and all recovers when Redis is back")
  void stoppedRedisDegradesAndRecovers() throws Exception {
    Await.result(join("alice"));
    assertEquals(Events.presenceUpdate(thread, List.of("alice")), events.next());
    assertEquals("UP", readiness().getString("status"));

    String log = captureStderr(() -> {
      redis.stop();
      for (int i = 0; i < 5; i++) {
        assertAnsweredUnavailable(join("bob"));
      }
      assertAnsweredUnavailable(bus.request(Addresses.PRESENCE_TYPING_START, new JsonObject().put("threadId", thread).put("userId", "bob")));
      JsonObject ready = readiness();
      assertEquals("DOWN", ready.getString("status"));
      assertTrue(ready.getJsonObject("checks").getString(PresenceVerticle.READINESS_CHECK).startsWith("DOWN"), ready::encode);

      redis.start();
      awaitRecovery("bob");
    });
    assertEquals(1, occurrences(log, "is unreachable"), log);
    assertEquals(1, occurrences(log, "reachable again"), log);
    assertEquals(Events.presenceUpdate(thread, List.of("bob")), events.next());
    assertEquals("UP", readiness().getString("status"));
  }

  @Test
  @DisplayName("With Redis frozen, presence answers 'unavailable' instead of hanging, and works again once Redis answers")
  void frozenRedisFailsFast() throws Exception {
    Await.result(join("alice"));
    assertEquals(Events.presenceUpdate(thread, List.of("alice")), events.next());

    redis.freeze();
    assertAnsweredUnavailable(join("bob"));
    assertEquals("DOWN", readiness().getString("status"));
    redis.thaw();

    awaitRecovery("carol");
    JsonObject next = events.next();
    assertEquals(Events.PRESENCE_UPDATE, next.getString("type"));
    assertTrue(next.getJsonArray("onlineUserIds").contains("carol"), next::encode);
    assertEquals("UP", readiness().getString("status"));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static String captureStderr(Step step) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
    try {
      step.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static int occurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }

  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
