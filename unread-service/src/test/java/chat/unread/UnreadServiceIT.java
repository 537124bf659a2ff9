package chat.unread;

import static chat.shared.testing.Checkpoints.flagOn;
import static chat.unread.TestChat.await;
import static chat.unread.TestChat.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BusEvents;
import chat.shared.testing.Checkpoints;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class UnreadServiceIT {
  private TestChat chat;
  private Bus bus;
  private String alice;
  private String bob;
  private String carol;
  private String mallory;

  @BeforeAll
  void start() {
    chat = TestChat.start(UnreadServiceIT.class);
    bus = new Bus(chat.vertx, 5000);
  }

  /** Fresh users for every test (one instance serves the class), so tests never share a thread. */
  @BeforeEach
  void freshUsers() {
    alice = user("alice");
    bob = user("bob");
    carol = user("carol");
    mallory = user("mallory");
  }

  @AfterAll
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  private JsonObject badge(String userId) {
    return await(bus.request(Addresses.UNREAD_BADGE, new JsonObject().put("userId", userId)));
  }

  private static Map<String, Long> byThread(JsonObject badge) {
    Map<String, Long> counts = new HashMap<>();
    for (Object o : badge.getJsonArray("byThread")) {
      JsonObject entry = (JsonObject) o;
      counts.put(entry.getString("threadId"), entry.getLong("unread"));
    }
    return counts;
  }

  private JsonObject read(String userId, String threadId, String lastReadMessageId) {
    return await(readAsync(userId, threadId, lastReadMessageId));
  }

  private Future<JsonObject> readAsync(String userId, String threadId, String lastReadMessageId) {
    JsonObject body = new JsonObject().put("userId", userId).put("threadId", threadId);
    if (lastReadMessageId != null) {
      body.put("lastReadMessageId", lastReadMessageId);
    }
    return bus.request(Addresses.UNREAD_MARK_READ, body);
  }

  private ErrorCode readFails(String userId, String threadId, Object lastReadMessageId) {
    JsonObject body = new JsonObject().put("userId", userId).put("threadId", threadId)
        .put("lastReadMessageId", lastReadMessageId);
    return assertThrows(ChatException.class, () -> await(bus.request(Addresses.UNREAD_MARK_READ, body))).code();
  }

  @Test
  @DisplayName("A member's badge counts the messages other members sent since they last read, per thread and in total")
  void countsOtherMembersSends() {
    String t1 = chat.thread(alice, bob, carol);
    String t2 = chat.thread(bob, alice);
    for (int i = 0; i < 3; i++) {
      chat.send(t1, bob);
    }
    chat.send(t1, carol);
    chat.send(t1, carol);
    chat.send(t2, bob);

    JsonObject aliceBadge = badge(alice);
    assertEquals(Map.of(t1, 5L, t2, 1L), byThread(aliceBadge));
    assertEquals(6, aliceBadge.getLong("total"));
    assertEquals(Map.of(t1, 2L), byThread(badge(bob)));
    assertEquals(Map.of(), byThread(badge(carol)), "carol sent last, so she has read everything");
  }

  @Test
  @DisplayName("A user's own messages never count as unread for them, even interleaved with others' messages")
  void ownMessagesNeverCounted() {
    String t = chat.thread(alice, bob);
    chat.send(t, alice);
    chat.send(t, bob);
    chat.send(t, alice);
    chat.send(t, alice);

    JsonObject aliceBadge = badge(alice);
    assertEquals(JsonArray.of(), aliceBadge.getJsonArray("byThread"), "a thread with nothing unread is not listed");
    assertEquals(0, aliceBadge.getLong("total"));
    assertEquals(Map.of(t, 2L), byThread(badge(bob)), "bob's count restarts after his own message");
    assertEquals(chat.recount(t, bob), 2);
  }

  @Test
  @DisplayName("Reading up to a given message leaves the later ones unread, and reading without an id reads everything")
  void readToMessageAndToNewest() {
    String t = chat.thread(alice, bob);
    TestChat.Sent third = chat.send(t, bob, 5).get(2);

    JsonObject partial = read(alice, t, third.id());
    assertEquals(3, partial.getLong("lastReadSeq"));
    assertEquals(2, partial.getLong("unread"));
    assertNotNull(Timestamps.parse(partial.getString("lastReadAt")));
    assertEquals(Map.of(t, 2L), byThread(badge(alice)));

    JsonObject all = read(alice, t, null);
    assertEquals(5, all.getLong("lastReadSeq"));
    assertEquals(0, all.getLong("unread"));
    assertEquals(0, badge(alice).getLong("total"));
    assertEquals(0, chat.recount(t, alice));
  }

  @Test
  @DisplayName("Reading an older message after a newer one does not move the read marker back")
  void backwardsReadIgnored() {
    String t = chat.thread(alice, bob);
    TestChat.Sent first = chat.send(t, bob, 3).get(0);
    JsonObject forward = read(alice, t, null);

    JsonObject backward = read(alice, t, first.id());
    assertEquals(3, backward.getLong("lastReadSeq"));
    assertEquals(0, backward.getLong("unread"));
    assertEquals(forward.getString("lastReadAt"), backward.getString("lastReadAt"), "the read time is kept too");
    assertEquals(3, chat.marker(t, alice).getLong("last_read_seq"));
    assertEquals(0, badge(alice).getLong("total"));
  }

  @Test
  @DisplayName("Marking read with a message of another thread, an unknown id or a malformed id is refused and changes nothing")
  void foreignMessageRefused() {
    String t = chat.thread(alice, bob);
    String other = chat.thread(bob, alice);
    chat.send(t, bob);
    TestChat.Sent elsewhere = chat.send(other, bob);

    assertEquals(ErrorCode.INVALID_REQUEST, readFails(alice, t, elsewhere.id()));
    assertEquals(ErrorCode.INVALID_REQUEST, readFails(alice, t, UUID.randomUUID().toString()));
    assertEquals(ErrorCode.INVALID_REQUEST, readFails(alice, t, "not-a-uuid"));
    assertEquals(ErrorCode.INVALID_REQUEST, readFails(alice, t, 42));
    assertEquals(0, chat.marker(t, alice).getLong("last_read_seq"));
    assertEquals(Map.of(t, 1L, other, 1L), byThread(badge(alice)));
  }

  @Test
  @DisplayName("A non-member cannot mark a thread read or see its receipts, and does not become a member by trying")
  void nonMemberRefused() {
    String t = chat.thread(alice, bob);
    TestChat.Sent sent = chat.send(t, bob);
    chat.thread(mallory);

    assertEquals(ErrorCode.NOT_MEMBER, readFails(mallory, t, null));
    assertEquals(ErrorCode.NOT_MEMBER, readFails(mallory, t, sent.id()));
    ChatException receipts = assertThrows(ChatException.class, () -> await(bus.request(Addresses.UNREAD_RECEIPTS,
        new JsonObject().put("userId", mallory).put("threadId", t))));
    assertEquals(ErrorCode.NOT_MEMBER, receipts.code());
    assertFalse(chat.isMember(t, mallory));
    assertEquals(0, badge(mallory).getLong("total"));
  }

  @Test
  @DisplayName("Marking read or asking for receipts of a thread that does not exist answers thread_not_found")
  void unknownThread() {
    chat.thread(alice);
    assertEquals(ErrorCode.THREAD_NOT_FOUND, readFails(alice, UUID.randomUUID().toString(), null));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, readFails(alice, "nope", null));
    ChatException e = assertThrows(ChatException.class, () -> await(bus.request(Addresses.UNREAD_RECEIPTS,
        new JsonObject().put("userId", alice).put("threadId", UUID.randomUUID().toString()))));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, e.code());
  }

  @Test
  @DisplayName("Two devices of the same user both get the new badge after someone else sends, and both clear after a read")
  void badgePushesReachEveryDevice(VertxTestContext ctx) {
    String t = chat.thread(alice, bob);
    String quiet = chat.thread(alice, bob);
    chat.send(quiet, bob);
    try (BusEvents phone = BusEvents.open(chat.vertx, Addresses.user(alice), Events.UNREAD_UPDATE);
        BusEvents laptop = BusEvents.open(chat.vertx, Addresses.user(alice), Events.UNREAD_UPDATE);
        BusEvents bobDevice = BusEvents.open(chat.vertx, Addresses.user(bob), Events.UNREAD_UPDATE);
        BusEvents threadFeed = BusEvents.open(chat.vertx, Addresses.thread(t), Events.RECEIPT_UPDATE)) {
      Checkpoint phoneSeesTwoUnread = ctx.checkpoint();
      Checkpoint laptopSeesTwoUnread = ctx.checkpoint();
      Checkpoint phoneCleared = ctx.checkpoint();
      Checkpoint laptopCleared = ctx.checkpoint();
      Checkpoint receiptOnThread = ctx.checkpoint();
      Checkpoint bobSeesAlicesReply = ctx.checkpoint();
      Checkpoints.Check<JsonObject> twoUnread = update ->
          assertEquals(3, update.getLong("total"), "the total covers the user's other threads too");
      Future<?> sentTwo = Future.all(
          flagOn(ctx, phoneSeesTwoUnread, phone.nextEvent(e -> t.equals(e.getString("threadId")) && e.getLong("unread") == 2), twoUnread),
          flagOn(ctx, laptopSeesTwoUnread, laptop.nextEvent(e -> t.equals(e.getString("threadId")) && e.getLong("unread") == 2), twoUnread));
      chat.send(t, bob, 2);

      Checkpoints.Check<JsonObject> clearedThread = cleared -> {
        assertEquals(t, cleared.getString("threadId"));
        assertEquals(1, cleared.getLong("total"));
      };
      sentTwo.compose(v -> readAsync(alice, t, null)).compose(reply -> {
        ctx.verify(() -> assertEquals(0, reply.getLong("unread")));
        return Future.all(
            flagOn(ctx, phoneCleared, phone.nextEvent(e -> e.getLong("unread") == 0), clearedThread),
            flagOn(ctx, laptopCleared, laptop.nextEvent(e -> e.getLong("unread") == 0), clearedThread),
            flagOn(ctx, receiptOnThread, threadFeed.nextEvent(), receipt -> assertEquals(JsonObject.of("type", Events.RECEIPT_UPDATE,
                "threadId", t, "userId", alice, "lastReadSeq", 2, "lastReadAt", reply.getString("lastReadAt")), receipt)));
      }).compose(v -> chat.sendAsync(t, alice)).compose(v -> flagOn(ctx, bobSeesAlicesReply,
          bobDevice.nextEvent(e -> t.equals(e.getString("threadId")) && e.getLong("unread") == 1),
          bobs -> assertEquals(1, bobs.getLong("total"))));
      Checkpoints.await(ctx);
    }
  }

  @Test
  @DisplayName("A read that does not move the marker still syncs the user's tabs but sends no receipt to the thread")
  void unmovedReadSyncsTabsWithoutReceipt() {
    String t = chat.thread(alice, bob);
    TestChat.Sent first = chat.send(t, bob, 2).get(0);
    read(alice, t, first.id());
    try (BusEvents tab = BusEvents.open(chat.vertx, Addresses.user(alice), Events.UNREAD_UPDATE);
        BusEvents threadFeed = BusEvents.open(chat.vertx, Addresses.thread(t), Events.RECEIPT_UPDATE)) {
      read(alice, t, first.id());
      JsonObject sync = tab.next();
      assertEquals(1, sync.getLong("unread"));
      assertEquals(1, sync.getLong("total"));

      read(alice, t, null);
      JsonObject receipt = threadFeed.next();
      assertEquals(2, receipt.getLong("lastReadSeq"), "the first receipt seen is the one of the read that moved");
    }
  }

  @Test
  @DisplayName("Receipts list every member's read marker, so the sender can see who has seen a message")
  void receipts() {
    String t = chat.thread(alice, bob, carol);
    TestChat.Sent first = chat.send(t, alice);
    chat.send(t, alice);
    Instant before = Timestamps.now().minusSeconds(60);
    read(bob, t, first.id());

    JsonArray receipts = await(bus.request(Addresses.UNREAD_RECEIPTS,
        new JsonObject().put("userId", carol).put("threadId", t))).getJsonArray("receipts");
    Map<String, JsonObject> byUser = new HashMap<>();
    receipts.forEach(o -> byUser.put(((JsonObject) o).getString("userId"), (JsonObject) o));
    assertEquals(3, receipts.size());
    assertEquals(2, byUser.get(alice).getLong("lastReadSeq"), "the author has seen their own messages");
    assertEquals(1, byUser.get(bob).getLong("lastReadSeq"));
    assertTrue(Timestamps.parse(byUser.get(bob).getString("lastReadAt")).isAfter(before));
    assertEquals(0, byUser.get(carol).getLong("lastReadSeq"));
    assertEquals(null, byUser.get(carol).getString("lastReadAt"), "never read");
  }

  @Test
  @DisplayName("Badge updates for many quick sends are coalesced yet end with the exact count")
  void burstIsCoalesced(VertxTestContext ctx) {
    String t = chat.thread(alice, bob);
    try (BusEvents tab = BusEvents.open(chat.vertx, Addresses.user(alice), Events.UNREAD_UPDATE)) {
      Checkpoint updateWithAllFifty = ctx.checkpoint();
      flagOn(ctx, updateWithAllFifty, tab.nextEvent(e -> e.getLong("unread") == 50), e -> {});
      List<Future<TestChat.Sent>> sends = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sends.add(chat.sendAsync(t, bob));
      }
      await(Future.all(sends));
      Checkpoints.await(ctx);
      assertTrue(tab.taken() < 50, "fewer updates than messages, got " + tab.taken());
      assertEquals(50, chat.recount(t, alice));
    }
  }

  @Test
  @DisplayName("The batched unread query answers each member's count and total, and leaves out non-members")
  void unreadForBatch() {
    String t1 = chat.thread(alice, bob);
    String t2 = chat.thread(carol, alice);
    chat.send(t2, carol, 2);
    chat.send(t1, bob);
    UnreadStore store = new PgUnreadStore(chat.pool);

    List<PairUnread> rows = await(store.unreadFor(List.of(
        new UserThread(alice, t1), new UserThread(alice, t2), new UserThread(bob, t1),
        new UserThread(carol, t1), new UserThread(alice, t1))));
    Map<UserThread, PairUnread> byPair = new HashMap<>();
    rows.forEach(r -> byPair.put(new UserThread(r.userId(), r.threadId()), r));
    assertEquals(3, rows.size(), "duplicates answered once, carol is not in t1");
    assertEquals(new PairUnread(alice, t1, 1, 3), byPair.get(new UserThread(alice, t1)));
    assertEquals(new PairUnread(alice, t2, 2, 3), byPair.get(new UserThread(alice, t2)));
    assertEquals(new PairUnread(bob, t1, 0, 0), byPair.get(new UserThread(bob, t1)));
  }
}
