package chat.unread;

import static chat.shared.testing.Checkpoints.flagOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.api.v1.ApiV1;
import chat.client.ChatClient;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.testing.BusEvents;
import chat.shared.testing.Checkpoints;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code chat.api.v1.unread.get} and the read-marker events against the real unread- and messaging-service. */
@ExtendWith(VertxExtension.class)
class ApiV1UnreadIT {
  private static TestChat chat;
  private static ChatClient client;

  @BeforeAll
  static void start() {
    chat = TestChat.start(ApiV1UnreadIT.class);
    client = ChatClient.on(chat.vertx, "notifier", 10_000);
  }

  @AfterAll
  static void stop() {
    chat.close();
  }

  @Test
  @DisplayName("A service reads a user's unread counts, derived as for the badge; a malformed request is refused")
  void unreadOfAUser() {
    String amy = TestChat.user("amy");
    String bob = TestChat.user("bob");
    String t1 = chat.thread(amy, bob);
    String t2 = chat.thread(bob, amy);
    chat.thread(amy, bob);
    chat.send(t1, amy, 3);
    chat.send(t2, amy, 1);
    chat.send(t2, bob, 1);

    ApiV1.UnreadReply badge = client.unread(bob).await();
    assertEquals(List.of(new ApiV1.ThreadUnread(t1, 3)), badge.byThread(), "only threads with unread are listed");
    assertEquals(3L, badge.total());
    assertEquals(new ApiV1.UnreadReply(List.of(), 0), client.unread(TestChat.user("nobody")).await());

    JsonObject q = new JsonObject().put("userId", bob).put("via", "notifier");
    assertEquals(ErrorCode.INVALID_REQUEST, raw(new JsonObject().put("userId", bob)));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(q.copy().put("via", "")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(q.copy().put("userId", "")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(q.copy().put("userId", List.of("a"))));
  }

  @Test
  @DisplayName("A read that moves a member's marker is told to services; a read that moves nothing is not")
  void readMovedEvents(VertxTestContext ctx) {
    String cy = TestChat.user("cy");
    String di = TestChat.user("di");
    String t = chat.thread(cy, di);
    TestChat.Sent first = chat.send(t, cy);
    chat.send(t, cy);
    try (BusEvents moved = BusEvents.open(chat.vertx, ApiV1.EVENT_READ_MOVED)) {
      Checkpoint toFirst = ctx.checkpoint();
      Checkpoint toLast = ctx.checkpoint();
      flagOn(ctx, toFirst, moved.nextEvent(), e -> {
        assertEquals(Set.of("threadId", "userId", "lastReadSeq", "lastReadAt"), e.fieldNames());
        assertEquals(t, e.getString("threadId"));
        assertEquals(di, e.getString("userId"));
        assertEquals(1L, e.getLong("lastReadSeq"));
      });
      // the backwards read in between publishes nothing, so the next event is the move to seq 2
      flagOn(ctx, toLast, moved.nextEvent(), e -> assertEquals(2L, e.getLong("lastReadSeq")));
      markRead(di, t, first.id());
      markRead(di, t, first.id());
      markRead(di, t, null);
      Checkpoints.await(ctx);
    }
  }

  @Test
  @DisplayName("A service reads a thread's read markers as a member: every member listed; an outsider is refused")
  void receiptsOfAThread() {
    String eve = TestChat.user("eve");
    String fay = TestChat.user("fay");
    String t = chat.thread(eve, fay);
    chat.send(t, eve, 2);

    ApiV1.ReceiptsReply receipts = client.receipts(fay, t).await();
    assertEquals(t, receipts.threadId());
    assertEquals(List.of(eve, fay).stream().sorted().toList(), receipts.receipts().stream().map(r -> r.userId()).toList());
    assertEquals(2L, receipts.receipts().stream().filter(r -> r.userId().equals(eve)).findFirst().orElseThrow().lastReadSeq(),
        "a send moves its author's marker");
    assertEquals(0L, receipts.receipts().stream().filter(r -> r.userId().equals(fay)).findFirst().orElseThrow().lastReadSeq());

    JsonObject q = new JsonObject().put("userId", TestChat.user("outsider")).put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.NOT_MEMBER, rawReceipts(q));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, rawReceipts(q.copy().put("userId", eve).put("threadId", java.util.UUID.randomUUID().toString())));
    assertEquals(ErrorCode.INVALID_REQUEST, rawReceipts(q.copy().put("userId", "a b")));
    assertEquals(ErrorCode.INVALID_REQUEST, rawReceipts(q.copy().put("via", "")));
  }

  private static ErrorCode rawReceipts(JsonObject body) {
    return assertThrows(ChatException.class, () -> TestChat.await(chat.bus.request(ApiV1.RECEIPTS_GET, body))).code();
  }

  private static void markRead(String userId, String threadId, String messageId) {
    TestChat.await(chat.bus.request(Addresses.UNREAD_MARK_READ, new JsonObject()
        .put("userId", userId).put("threadId", threadId).put("lastReadMessageId", messageId)));
  }

  private static ErrorCode raw(JsonObject body) {
    return assertThrows(ChatException.class, () -> TestChat.await(chat.bus.request(ApiV1.UNREAD_GET, body))).code();
  }
}
