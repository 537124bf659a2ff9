package chat.unread;

import static chat.unread.TestChat.await;
import static chat.unread.TestChat.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.testing.Await;
import chat.shared.testing.BrowserFeed;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Unread under edits and deletes: random interleavings of every change, checked against a recount. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeletesUnreadIT {
  private static final int WORKERS = 6;
  private static final int OPS_PER_WORKER = 60;

  private TestChat chat;

  @BeforeAll
  void start() {
    chat = TestChat.start(DeletesUnreadIT.class);
  }

  @AfterAll
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  @Test
  @DisplayName("Random sends, reads, edits and deletes by several users across threads end, once quiet, with every badge and every last unread:update equal to a recount without deleted and own messages, and no push below 0")
  void randomInterleavings() throws Exception {
    long seed = System.nanoTime();
    List<String> users = List.of(user("ada"), user("bo"), user("cy"), user("di"));
    List<String> threads = List.of(
        chat.thread(users.get(0), users.get(1), users.get(2), users.get(3)),
        chat.thread(users.get(1), users.get(0), users.get(2)),
        chat.thread(users.get(2), users.get(3)));
    Map<String, List<JsonObject>> pushes = new ConcurrentHashMap<>();
    List<BrowserFeed> consumers = new ArrayList<>();
    for (String u : users) {
      consumers.add(BrowserFeed.open(chat.vertx, Addresses.user(u), e -> {
        if (Events.UNREAD_UPDATE.equals(e.getString("type"))) {
          pushes.computeIfAbsent(u + "/" + e.getString("threadId"), k -> new CopyOnWriteArrayList<>()).add(e);
        }
      }));
    }
    // (thread, message id, author) of every message sent, for reads, edits and deletes to pick from.
    List<String[]> sent = new CopyOnWriteArrayList<>();

    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        Random random = new Random(seed + w);
        work.add(pool.submit(() -> {
          for (int i = 0; i < OPS_PER_WORKER; i++) {
            String t = threads.get(random.nextInt(threads.size()));
            List<String> in = members(threads, users, t);
            String who = in.get(random.nextInt(in.size()));
            int op = random.nextInt(10);
            if (op < 4 || sent.isEmpty()) {
              sent.add(new String[] {t, chat.send(t, who).id(), who});
              continue;
            }
            String[] m = sent.get(random.nextInt(sent.size()));
            List<String> inM = members(threads, users, m[0]);
            String member = inM.get(random.nextInt(inM.size()));
            JsonObject ref = new JsonObject().put("threadId", m[0]).put("messageId", m[1]);
            if (op < 7) {
              JsonObject read = new JsonObject().put("userId", member).put("threadId", m[0]);
              if (random.nextBoolean()) {
                read.put("lastReadMessageId", m[1]);
              }
              JsonObject reply = await(chat.bus.request(Addresses.UNREAD_MARK_READ, read));
              assertTrue(reply.getLong("unread") >= 0, "mark-read answered " + reply);
            } else if (op < 8) {
              // An edit by its author; a deleted message cannot be edited any more.
              try {
                await(chat.bus.request(Addresses.MESSAGE_EDIT, ref.copy().put("userId", m[2]).put("body", "edit " + i)));
              } catch (chat.shared.ChatException e) {
                assertEquals("message_not_found", e.code().code());
              }
            } else {
              // A delete by its author or by the thread's admin (its creator, the first member).
              String deleter = random.nextBoolean() ? m[2] : inM.get(0);
              await(chat.bus.request(Addresses.MESSAGE_DELETE, ref.copy().put("userId", deleter)));
            }
          }
        }));
      }
      for (Future<?> f : work) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (String t : threads) {
      for (String u : members(threads, users, t)) {
        long recount = chat.recount(t, u);
        String key = u + "/" + t;
        // Quiet: the pushes settle; the last one must be the recount (an older value arriving last fails).
        long deadline = System.nanoTime() + Duration.ofSeconds(Await.TIMEOUT_SECONDS).toNanos();
        while (last(pushes.get(key)) != null && last(pushes.get(key)).getLong("unread") != recount
            && System.nanoTime() < deadline) {
          Await.pause(20);
        }
        assertTrue(last(pushes.get(key)) == null || last(pushes.get(key)).getLong("unread") == recount,
            key + ": last push " + last(pushes.get(key)) + ", recount " + recount + " (seed " + seed + ")");
      }
    }
    for (String u : users) {
      JsonObject badge = await(chat.bus.request(Addresses.UNREAD_BADGE, new JsonObject().put("userId", u)));
      long total = 0;
      for (String t : threads) {
        if (!members(threads, users, t).contains(u)) {
          continue;
        }
        long recount = chat.recount(t, u);
        total += recount;
        long listed = badge.getJsonArray("byThread").stream().map(JsonObject.class::cast)
            .filter(e -> t.equals(e.getString("threadId"))).mapToLong(e -> e.getLong("unread")).sum();
        assertEquals(recount, listed, u + " in " + t + " (seed " + seed + ")");
        List<JsonObject> mine = pushes.get(u + "/" + t);
        if (mine != null) {
          assertEquals(recount, last(mine).getLong("unread"), "the last push of " + u + " in " + t + " (seed " + seed + ")");
        }
      }
      assertEquals(total, badge.getLong("total"), "badge total of " + u + " (seed " + seed + ")");
    }
    pushes.forEach((key, list) -> list.forEach(e -> {
      assertTrue(e.getLong("unread") >= 0 && e.getLong("total") >= 0, key + " got " + e);
    }));
    assertTrue(chat.count("SELECT count(*) AS n FROM messages WHERE deleted") > 0, "the run deleted messages (seed " + seed + ")");
    assertTrue(chat.count("SELECT count(*) AS n FROM messages WHERE edited_at IS NOT NULL") > 0, "the run edited messages (seed " + seed + ")");
    consumers.forEach(BrowserFeed::close);
  }

  /** A thread's members, its admin first (the threads above are created by their first member). */
  private static List<String> members(List<String> threads, List<String> users, String t) {
    int i = threads.indexOf(t);
    return switch (i) {
      case 0 -> List.of(users.get(0), users.get(1), users.get(2), users.get(3));
      case 1 -> List.of(users.get(1), users.get(0), users.get(2));
      default -> List.of(users.get(2), users.get(3));
    };
  }

  private static JsonObject last(List<JsonObject> list) {
    return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
  }
}
