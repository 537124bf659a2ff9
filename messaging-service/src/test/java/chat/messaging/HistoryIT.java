package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HistoryIT {
  private static MessagingFixture f;
  private static String thread;
  private static String empty;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(HistoryIT.class);
    thread = f.createThread("alice", "History", "bob").getString("id");
    empty = f.createThread("alice", "Nothing yet", "bob").getString("id");
    for (int i = 1; i <= 12; i++) {
      f.send(i % 2 == 0 ? "bob" : "alice", thread, "m" + i);
    }
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject page(JsonObject params) {
    return f.call(Addresses.MESSAGE_HISTORY, params.put("userId", "bob").put("threadId", thread));
  }

  private static List<Long> seqs(JsonObject page) {
    return page.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getLong("seq")).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  @DisplayName("Opening a thread shows the newest page, oldest first, and says older messages exist")
  void newestPage() {
    JsonObject p = page(new JsonObject().put("limit", 5));
    assertEquals(range(8, 12), seqs(p));
    assertEquals(true, p.getBoolean("hasMore"));
    JsonObject all = page(new JsonObject());
    assertEquals(range(1, 12), seqs(all), "the default page of 50 holds the whole thread");
    assertEquals(false, all.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("Scrolling back with beforeSeq gives the messages just below it until the start of the thread")
  void pagingBackward() {
    JsonObject p1 = page(new JsonObject().put("beforeSeq", 8).put("limit", 5));
    assertEquals(range(3, 7), seqs(p1));
    assertEquals(true, p1.getBoolean("hasMore"));
    JsonObject p2 = page(new JsonObject().put("beforeSeq", 3).put("limit", 5));
    assertEquals(range(1, 2), seqs(p2));
    assertEquals(false, p2.getBoolean("hasMore"));
    JsonObject p3 = page(new JsonObject().put("beforeSeq", 1));
    assertEquals(List.of(), seqs(p3));
    assertEquals(false, p3.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("Catching up with afterSeq gives every missed message in order, page by page")
  void pagingForward() {
    JsonObject p1 = page(new JsonObject().put("afterSeq", 0).put("limit", 5));
    assertEquals(range(1, 5), seqs(p1));
    assertEquals(true, p1.getBoolean("hasMore"));
    JsonObject p2 = page(new JsonObject().put("afterSeq", 10).put("limit", 5));
    assertEquals(range(11, 12), seqs(p2));
    assertEquals(false, p2.getBoolean("hasMore"));
    JsonObject p3 = page(new JsonObject().put("afterSeq", 12));
    assertEquals(List.of(), seqs(p3));
    assertEquals(false, p3.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("Asking for a range between afterSeq and beforeSeq reads it forward from afterSeq")
  void range() {
    JsonObject p1 = page(new JsonObject().put("afterSeq", 2).put("beforeSeq", 9).put("limit", 3));
    assertEquals(range(3, 5), seqs(p1));
    assertEquals(true, p1.getBoolean("hasMore"));
    JsonObject p2 = page(new JsonObject().put("afterSeq", 2).put("beforeSeq", 9).put("limit", 10));
    assertEquals(range(3, 8), seqs(p2));
    assertEquals(false, p2.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("History messages have the contract's shape and the bodies that were sent")
  void messageShape() {
    JsonObject m = page(new JsonObject().put("afterSeq", 1).put("limit", 1)).getJsonArray("messages").getJsonObject(0);
    assertEquals(2L, m.getLong("seq"));
    assertEquals("m2", m.getString("body"));
    assertEquals("bob", m.getString("authorId"));
    assertEquals(thread, m.getString("threadId"));
    assertTrue(m.containsKey("clientMessageId"));
    assertEquals(new JsonArray(), m.getJsonArray("attachments"));
    assertTrue(m.getString("createdAt").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
  }

  @Test
  @DisplayName("A member of a thread without messages gets an empty page, not an error")
  void emptyThread() {
    JsonObject p = f.call(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "bob").put("threadId", empty));
    assertEquals(new JsonArray(), p.getJsonArray("messages"));
    assertEquals(false, p.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("Bad paging parameters are refused as invalid requests")
  void invalidParameters() {
    JsonObject base = new JsonObject().put("userId", "bob").put("threadId", thread);
    for (JsonObject bad : List.of(
        base.copy().put("limit", 0), base.copy().put("limit", 201), base.copy().put("limit", "5"),
        base.copy().put("limit", 2.5), base.copy().put("beforeSeq", -1), base.copy().put("afterSeq", -3),
        base.copy().put("afterSeq", "1"), base.copy().put("beforeSeq", true))) {
      assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_HISTORY, bad), bad.encode());
    }
    assertEquals(12, f.call(Addresses.MESSAGE_HISTORY, base.copy().put("limit", 200)).getJsonArray("messages").size());
  }

  @Test
  @DisplayName("Only members may read a thread's history; an unknown thread is not found")
  void membersOnly() {
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "mallory").put("threadId", thread)));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "mallory").put("threadId", empty)));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "bob").put("threadId", UUID.randomUUID().toString())));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "bob").put("threadId", "nope")));
  }
}
