package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.BrowserFeed;
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
    BrowserFeed.open(vertx, Addresses.thread("t1"), events::add);
    PresencePublisher publisher = new PresencePublisher(vertx, new BrowserEvents(vertx, BusRouting.NODE));
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
  @DisplayName("A flood of changes to one thread's list coalesces: a few updates a second, the last one the final list")
  void coalesces() throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    BrowserFeed.open(vertx, Addresses.thread("t2"), events::add);
    PresencePublisher publisher = new PresencePublisher(vertx, new BrowserEvents(vertx, BusRouting.NODE));
    long start = System.nanoTime();
    int version = 0;
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
      List<String> online = version % 2 == 0 ? List.of("a", "b") : List.of("a");
      publisher.publish(new Changes(++version, Map.of("t2", online), Map.of()));
      Thread.sleep(1);
    }
    List<String> last = version % 2 == 0 ? List.of("a") : List.of("a", "b");
    Thread.sleep(2 * PresencePublisher.COALESCE_MS);
    List<JsonObject> seen = new java.util.ArrayList<>();
    events.drainTo(seen);
    assertTrue(version > 100, "changes offered: " + version);
    assertTrue(seen.size() <= 1 + (1000 + 2 * PresencePublisher.COALESCE_MS) / PresencePublisher.COALESCE_MS,
        seen.size() + " updates for " + version + " changes");
    assertEquals(last, seen.get(seen.size() - 1).getJsonArray("onlineUserIds").getList(), "the final list goes out");
  }

  @Test
  @DisplayName("The remembered versions stay bounded however many threads change")
  void bounded() {
    PresencePublisher publisher = new PresencePublisher(vertx, new BrowserEvents(vertx, BusRouting.NODE));
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
