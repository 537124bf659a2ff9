package chat.unread;

import static chat.unread.TestChat.await;
import static chat.unread.TestChat.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BusEvents;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentUnreadIT {
  private static final int WRITERS = 20;
  private static final int READERS = 5;
  private static final int SENDS_PER_WRITER = 20;
  private static final int READS_PER_READER = 40;

  private TestChat chat;
  private Bus bus;

  @BeforeAll
  void start() {
    chat = TestChat.start(ConcurrentUnreadIT.class);
    bus = new Bus(chat.vertx, 10_000);
  }

  @AfterAll
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  @Test
  @DisplayName("20 writers and 5 readers hammering one thread end with every badge equal to a recount of the messages")
  void countsNeverDrift() throws Exception {
    List<String> writers = new ArrayList<>();
    List<String> readers = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      writers.add(user("writer"));
    }
    for (int i = 0; i < READERS; i++) {
      readers.add(user("reader"));
    }
    List<String> everyone = new ArrayList<>(writers);
    everyone.addAll(readers);
    String t = chat.thread(everyone.toArray(String[]::new));
    List<String> sentIds = new CopyOnWriteArrayList<>();
    Map<String, BusEvents> tabs = new ConcurrentHashMap<>();
    readers.forEach(r -> tabs.put(r, BusEvents.open(chat.vertx, Addresses.user(r), Events.UNREAD_UPDATE)));

    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (String w : writers) {
        work.add(pool.submit(() -> {
          for (int i = 0; i < SENDS_PER_WRITER; i++) {
            sentIds.add(chat.send(t, w).id());
          }
        }));
      }
      for (String r : readers) {
        work.add(pool.submit(() -> {
          long lastSeen = 0;
          for (int i = 0; i < READS_PER_READER; i++) {
            JsonObject body = new JsonObject().put("userId", r).put("threadId", t);
            if (!sentIds.isEmpty() && ThreadLocalRandom.current().nextBoolean()) {
              body.put("lastReadMessageId", sentIds.get(ThreadLocalRandom.current().nextInt(sentIds.size())));
            }
            JsonObject reply = await(bus.request(Addresses.UNREAD_MARK_READ, body));
            long seq = reply.getLong("lastReadSeq");
            assertTrue(seq >= lastSeen, "a read marker never moves backwards");
            assertTrue(reply.getLong("unread") >= 0);
            lastSeen = seq;
          }
        }));
      }
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(WRITERS * SENDS_PER_WRITER, sentIds.size());
    for (String member : everyone) {
      long recount = chat.recount(t, member);
      JsonObject badge = await(bus.request(Addresses.UNREAD_BADGE, new JsonObject().put("userId", member)));
      long listed = badge.getJsonArray("byThread").stream()
          .map(JsonObject.class::cast)
          .filter(e -> t.equals(e.getString("threadId")))
          .mapToLong(e -> e.getLong("unread"))
          .sum();
      assertEquals(recount, listed, "unread of " + member + " in the thread");
      assertEquals(recount, badge.getLong("total"), "badge total of " + member);
    }
    for (String r : readers) {
      long recount = chat.recount(t, r);
      try (BusEvents tab = tabs.get(r)) {
        tab.nextMatching(e -> e.getLong("unread") == recount && e.getLong("total") == recount,
            "the final count " + recount);
      }
    }
  }
}
