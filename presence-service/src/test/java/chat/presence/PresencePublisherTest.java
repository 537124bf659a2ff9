package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PresencePublisherTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  @Test
  @DisplayName("A thread's list goes out only if newer than the last one published there, presence and typing each")
  void neverOlder() throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.thread("t1"), msg -> events.add(msg.body())).completion());
    PresencePublisher publisher = new PresencePublisher(vertx.eventBus());
    publisher.publish(new Changes(2, Map.of("t1", List.of("b")), Map.of("t1", List.of("b"))));
    publisher.publish(new Changes(1, Map.of("t1", List.of("a")), Map.of()));
    publisher.publish(new Changes(2, Map.of("t1", List.of("x")), Map.of()));
    publisher.publish(new Changes(3, Map.of("t1", List.of("c")), Map.of()));
    assertEquals(List.of("b"), next(events).getJsonArray("onlineUserIds").getList());
    assertEquals(List.of("b"), next(events).getJsonArray("userIds").getList());
    assertEquals(List.of("c"), next(events).getJsonArray("onlineUserIds").getList());
    assertNull(events.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  @DisplayName("The remembered versions stay bounded however many threads change")
  void bounded() {
    PresencePublisher publisher = new PresencePublisher(vertx.eventBus());
    for (int i = 0; i < PresencePublisher.TRACKED_THREADS + 5_000; i++) {
      publisher.publish(new Changes(i + 1, Map.of("thread-" + i, List.of("u")), Map.of()));
    }
    long tracked = publisher.trackedPresenceThreads();
    assertTrue(tracked <= PresencePublisher.TRACKED_THREADS, "threads remembered: " + tracked);
  }

  private static JsonObject next(BlockingQueue<JsonObject> events) throws InterruptedException {
    JsonObject event = events.poll(5, TimeUnit.SECONDS);
    assertTrue(event != null, "no event within 5 s");
    return event;
  }
}
