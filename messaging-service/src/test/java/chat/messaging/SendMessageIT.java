package chat.messaging;

import static chat.messaging.MessagingFixture.sendRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import chat.shared.testing.BrowserFeed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendMessageIT {
  private static final String CREATED_AT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(SendMessageIT.class);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static UUID uuid(String id) {
    return UUID.fromString(id);
  }

  private static long lastSeq(String threadId) {
    return f.count("SELECT last_seq FROM threads WHERE id = $1", uuid(threadId));
  }

  private static long messageCount(String threadId) {
    return f.count("SELECT count(*) FROM messages WHERE thread_id = $1", uuid(threadId));
  }

  private static long readMarker(String threadId, String userId) {
    return f.count("SELECT last_read_seq FROM thread_members WHERE thread_id = $1 AND user_id = $2", uuid(threadId), userId);
  }

  private static java.util.function.Predicate<JsonObject> isMessage(String id) {
    return e -> Events.MESSAGE_NEW.equals(e.getString("type")) && id.equals(e.getJsonObject("message").getString("id"));
  }

  @Test
  @DisplayName("Fifty messages sent into one thread at the same time get seqs 1 to 50 with no gap and no duplicate")
  void concurrentSendsAreGapFree() {
    String thread = f.createThread("alice", "Busy", "bob", "carol").getString("id");
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String author = List.of("alice", "bob", "carol").get(i % 3);
      sends.add(f.request(Addresses.MESSAGE_SEND, sendRequest(author, thread, "message " + i)));
    }
    Future.all(sends).await();
    List<Long> seqs = sends.stream()
        .map(s -> s.result().getJsonObject("message").getLong("seq")).sorted().toList();
    assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), seqs);
    assertEquals(50, lastSeq(thread));
    assertEquals(50, messageCount(thread));
    assertEquals(50, f.count("SELECT count(DISTINCT seq) FROM messages WHERE thread_id = $1 AND seq BETWEEN 1 AND 50",
        uuid(thread)));
  }

  @Test
  @DisplayName("Simultaneous sends to several threads, mixed with refused sends and retries, each get their own right answer and no seq is lost")
  void mixedConcurrentSends() {
    List<String> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(f.createThread("alice", "Mixed " + t, "bob").getString("id"));
    }
    JsonObject earlier = f.call(Addresses.MESSAGE_SEND,
        sendRequest("alice", threads.get(0), "earlier").put("clientMessageId", "old")).getJsonObject("message");
    List<Future<JsonObject>> good = new ArrayList<>();
    List<Future<JsonObject>> retriesOfOld = new ArrayList<>();
    List<Future<JsonObject>> sameNewKey = new ArrayList<>();
    List<Future<JsonObject>> notMember = new ArrayList<>();
    List<Future<JsonObject>> noThread = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String thread = threads.get(i % 4);
      good.add(f.request(Addresses.MESSAGE_SEND, sendRequest(i % 2 == 0 ? "alice" : "bob", thread, "m" + i)));
      if (i % 10 == 0) {
        retriesOfOld.add(f.request(Addresses.MESSAGE_SEND,
            sendRequest("alice", threads.get(0), "retry").put("clientMessageId", "old")));
        sameNewKey.add(f.request(Addresses.MESSAGE_SEND,
            sendRequest("bob", threads.get(1), "new key").put("clientMessageId", "new")));
        notMember.add(f.request(Addresses.MESSAGE_SEND, sendRequest("mallory", thread, "let me in")));
        noThread.add(f.request(Addresses.MESSAGE_SEND, sendRequest("alice", UUID.randomUUID().toString(), "void")));
      }
    }
    Future.join(List.of(Future.join(new ArrayList<>(good)), Future.join(new ArrayList<>(retriesOfOld)),
        Future.join(new ArrayList<>(sameNewKey)), Future.join(new ArrayList<>(notMember)),
        Future.join(new ArrayList<>(noThread)))).otherwiseEmpty().await();
    good.forEach(g -> assertTrue(g.succeeded() && g.result().getBoolean("created"), String.valueOf(g.cause())));
    retriesOfOld.forEach(r -> {
      assertFalse(r.result().getBoolean("created"));
      assertEquals(earlier, r.result().getJsonObject("message"));
    });
    assertEquals(1, sameNewKey.stream().filter(r -> r.result().getBoolean("created")).count());
    assertEquals(1, sameNewKey.stream().map(r -> r.result().getJsonObject("message").getString("id")).distinct().count());
    notMember.forEach(r -> assertEquals(ErrorCode.NOT_MEMBER, ((chat.shared.ChatException) r.cause()).code()));
    noThread.forEach(r -> assertEquals(ErrorCode.THREAD_NOT_FOUND, ((chat.shared.ChatException) r.cause()).code()));
    for (int t = 0; t < 4; t++) {
      String thread = threads.get(t);
      long expected = 15 + (t == 0 ? 1 : 0) + (t == 1 ? 1 : 0);
      assertEquals(expected, lastSeq(thread), "thread " + t);
      assertEquals(expected, messageCount(thread), "thread " + t);
      assertEquals(expected, f.count("SELECT count(DISTINCT seq) FROM messages WHERE thread_id = $1 AND seq BETWEEN 1 AND $2",
          uuid(thread), expected));
      List<Long> replied = good.stream().map(g -> g.result().getJsonObject("message"))
          .filter(m -> thread.equals(m.getString("threadId"))).map(m -> m.getLong("seq")).toList();
      assertEquals(15, replied.stream().distinct().count());
      String author = t % 2 == 0 ? "alice" : "bob";
      long newest = f.count("SELECT max(seq) FROM messages WHERE thread_id = $1 AND author_id = $2", uuid(thread), author);
      assertEquals(newest, readMarker(thread, author), author + "'s marker is on their newest message in thread " + t);
    }
    double largestBatch = ChatMetrics.registry().get("chat_send_batch_size").summary().max();
    assertTrue(largestBatch > 1, "concurrent sends shared a statement (largest batch " + largestBatch + ")");
  }

  @Test
  @DisplayName("A reply carries the whole message in the contract's shape, and the body is stored trimmed and byte-exact")
  void replyShape() {
    String thread = f.createThread("alice", "Shape", "bob").getString("id");
    String body = "  Grüße 👋🏽 \u202e ½ — 日本語\n second line\t ";
    JsonObject reply = f.call(Addresses.MESSAGE_SEND, sendRequest("alice", thread, body).put("clientMessageId", "c-1"));
    assertEquals(Boolean.TRUE, reply.getBoolean("created"));
    JsonObject m = reply.getJsonObject("message");
    assertEquals(Set.of("id", "threadId", "seq", "version", "authorId", "body", "createdAt", "clientMessageId",
        "attachments", "editedAt", "deleted", "via"), m.fieldNames());
    assertEquals(1L, m.getLong("version"));
    assertNull(m.getValue("editedAt"));
    assertEquals(false, m.getBoolean("deleted"));
    assertTrue(m.getString("id").matches("[0-9a-f-]{36}"));
    assertEquals(thread, m.getString("threadId"));
    assertEquals(1L, m.getLong("seq"));
    assertEquals("alice", m.getString("authorId"));
    assertEquals(body.strip(), m.getString("body"));
    assertTrue(m.getString("createdAt").matches(CREATED_AT), m.getString("createdAt"));
    assertEquals("c-1", m.getString("clientMessageId"));
    assertEquals(new JsonArray(), m.getJsonArray("attachments"));
    Row stored = f.row("SELECT body, client_message_id FROM messages WHERE id = $1", uuid(m.getString("id")));
    assertEquals(body.strip(), stored.getString("body"));
  }

  @Test
  @DisplayName("A body of exactly 4,000 characters, even emoji outside the basic plane, is accepted")
  void fourThousandCodePointsAccepted() {
    String thread = f.createThread("alice", "Long").getString("id");
    String body = "😀".repeat(4000);
    assertEquals(body, f.send("alice", thread, body).getString("body"));
  }

  @Test
  @DisplayName("Retrying a send with the same clientMessageId returns the first message and stores nothing new")
  void idempotentRetry() {
    String thread = f.createThread("alice", "Retry", "bob").getString("id");
    JsonObject first = f.call(Addresses.MESSAGE_SEND, sendRequest("alice", thread, "hello").put("clientMessageId", "k1"));
    f.send("bob", thread, "in between");
    JsonObject again = f.call(Addresses.MESSAGE_SEND, sendRequest("alice", thread, "hello, edited").put("clientMessageId", "k1"));
    assertTrue(first.getBoolean("created"));
    assertFalse(again.getBoolean("created"));
    assertEquals(first.getJsonObject("message"), again.getJsonObject("message"));
    assertEquals(2, messageCount(thread));
    assertEquals(2, lastSeq(thread));
    JsonObject otherAuthor = f.call(Addresses.MESSAGE_SEND, sendRequest("bob", thread, "mine").put("clientMessageId", "k1"));
    assertTrue(otherAuthor.getBoolean("created"), "the key is per author");
    assertEquals(3, otherAuthor.getJsonObject("message").getLong("seq"));
  }

  @Test
  @DisplayName("Twenty simultaneous retries of one clientMessageId store exactly one message and all get it back")
  void concurrentDuplicatesStoreOne() {
    String thread = f.createThread("alice", "Storm", "bob").getString("id");
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(f.request(Addresses.MESSAGE_SEND, sendRequest("alice", thread, "once").put("clientMessageId", "dup")));
    }
    Future.all(sends).await();
    Set<String> ids = sends.stream().map(s -> s.result().getJsonObject("message").getString("id")).collect(Collectors.toSet());
    assertEquals(1, ids.size());
    assertEquals(1, sends.stream().filter(s -> s.result().getBoolean("created")).count());
    assertEquals(1, messageCount(thread));
    assertEquals(1, lastSeq(thread));
    assertEquals(2, f.send("alice", thread, "next").getLong("seq"));
  }

  @Test
  @DisplayName("Refused sends store no message, consume no seq and do not bump the thread")
  void failedSendsChangeNothing() {
    String thread = f.createThread("alice", "Strict", "bob").getString("id");
    f.send("alice", thread, "first");
    OffsetDateTime updatedAt = f.row("SELECT updated_at FROM threads WHERE id = $1", uuid(thread)).getOffsetDateTime(0);
    JsonObject base = sendRequest("alice", thread, "x");
    assertEquals(ErrorCode.EMPTY_MESSAGE, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", " \n\t ")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, f.failure(Addresses.MESSAGE_SEND, base.copy().putNull("body")));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "a".repeat(4001))));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "😀".repeat(4001))));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", 42)));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "nul\u0000here")));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "lone \ud83d surrogate")));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("body", "lone \ude00 low")));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("clientMessageId", 7)));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("clientMessageId", "k".repeat(129))));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().put("threadId", 5)));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_SEND, base.copy().putNull("userId")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_SEND, base.copy().put("userId", "mallory")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MESSAGE_SEND, base.copy().put("threadId", UUID.randomUUID().toString())));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MESSAGE_SEND, base.copy().put("threadId", "not-a-uuid")));
    assertEquals(1, messageCount(thread));
    assertEquals(1, lastSeq(thread));
    assertEquals(updatedAt, f.row("SELECT updated_at FROM threads WHERE id = $1", uuid(thread)).getOffsetDateTime(0));
    assertEquals(2, f.send("bob", thread, "second").getLong("seq"));
  }

  @Test
  @DisplayName("Sending moves the sender's read marker to their message, never backwards, and leaves the others' alone")
  void senderReadMarkerMoves() {
    String thread = f.createThread("alice", "Markers", "bob").getString("id");
    JsonObject m1 = f.send("alice", thread, "one");
    assertEquals(1, readMarker(thread, "alice"));
    assertEquals(0, readMarker(thread, "bob"));
    Row marker = f.row("SELECT last_read_message_id, last_read_at FROM thread_members WHERE thread_id = $1 AND user_id = $2",
        uuid(thread), "alice");
    assertEquals(m1.getString("id"), marker.getUUID(0).toString());
    assertNotNull(marker.getOffsetDateTime(1));
    f.send("bob", thread, "two");
    f.send("bob", thread, "three");
    assertEquals(1, readMarker(thread, "alice"));
    assertEquals(3, readMarker(thread, "bob"));
    f.db.preparedQuery("UPDATE thread_members SET last_read_seq = 99 WHERE thread_id = $1 AND user_id = $2")
        .execute(Tuple.of(uuid(thread), "alice")).await();
    f.send("alice", thread, "four");
    assertEquals(99, readMarker(thread, "alice"));
  }

  @Test
  @DisplayName("message:new reaches the thread and every member's user address only after the commit, and no one else")
  void messageNewAfterCommit() throws Exception {
    String thread = f.createThread("alice", "Live", "bob", "carol").getString("id");
    var threadInbox = f.listen(Addresses.thread(thread));
    var bobInbox = f.listen(Addresses.user("bob"));
    var aliceInbox = f.listen(Addresses.user("alice"));
    var daveInbox = f.listen(Addresses.user("dave"));
    var unreadInbox = f.listen(Addresses.EVENT_MESSAGE_SENT_UNREAD);
    var presenceInbox = f.listen(Addresses.EVENT_MESSAGE_SENT_PRESENCE);
    CompletableFuture<Long> visibleOnArrival = new CompletableFuture<>();
    BrowserFeed.open(f.vertx, Addresses.user("carol"), body -> {
      if (!Events.MESSAGE_NEW.equals(body.getString("type"))) {
        return;
      }
      String id = body.getJsonObject("message").getString("id");
      f.db.preparedQuery("SELECT count(*) FROM messages WHERE id = $1").execute(Tuple.of(uuid(id)))
          .onSuccess(rows -> visibleOnArrival.complete(rows.iterator().next().getLong(0)))
          .onFailure(visibleOnArrival::completeExceptionally);
    });

    JsonObject m = f.send("bob", thread, "hi all");
    String id = m.getString("id");

    JsonObject onThread = threadInbox.await(isMessage(id));
    assertEquals(Events.MESSAGE_NEW, onThread.getString("type"));
    assertEquals(thread, onThread.getString("threadId"));
    assertEquals(m, onThread.getJsonObject("message"));
    assertEquals(onThread, bobInbox.await(isMessage(id)));
    assertEquals(onThread, aliceInbox.await(isMessage(id)));
    assertEquals(1L, visibleOnArrival.get(10, TimeUnit.SECONDS), "the message is committed when the event arrives");

    JsonObject unread = unreadInbox.await(e -> id.equals(e.getString("messageId")));
    assertEquals(thread, unread.getString("threadId"));
    assertEquals("bob", unread.getString("authorId"));
    assertEquals(1L, unread.getLong("seq"));
    assertEquals(Set.of("alice", "bob", "carol"), Set.copyOf(unread.getJsonArray("memberIds").getList()));
    JsonObject presence = presenceInbox.await(e -> thread.equals(e.getString("threadId")));
    assertEquals("bob", presence.getString("authorId"));
    assertEquals(id, presence.getString("messageId"));
    assertEquals(0, presence.getJsonArray("memberIds").size(), "presence needs no member list");

    f.call(Addresses.MESSAGE_SEND, sendRequest("bob", thread, "again").put("clientMessageId", "x"));
    f.call(Addresses.MESSAGE_SEND, sendRequest("bob", thread, "again").put("clientMessageId", "x"));
    f.failure(Addresses.MESSAGE_SEND, sendRequest("dave", thread, "let me in"));
    threadInbox.await(e -> e.getJsonObject("message").getLong("seq") == 2);
    f.call(Addresses.MEMBER_CHECK, new JsonObject().put("userId", "alice").put("threadId", thread));
    assertEquals(2, threadInbox.all().size(), "a duplicate or refused send publishes nothing");
    assertTrue(daveInbox.all().isEmpty(), "a non-member hears nothing");
  }
}
