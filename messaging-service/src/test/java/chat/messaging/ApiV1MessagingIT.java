package chat.messaging;

import static chat.shared.testing.Checkpoints.flagOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.api.v1.ApiV1;
import chat.client.ChatClient;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import chat.shared.testing.BusEvents;
import chat.shared.testing.Checkpoints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service API's messaging addresses against the real MessagingVerticle and Postgres, called as a service would. */
@ExtendWith(VertxExtension.class)
class ApiV1MessagingIT {
  private static MessagingFixture f;
  private static ChatClient client;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(ApiV1MessagingIT.class);
    client = ChatClient.on(f.vertx, "notifier", 10_000);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  @DisplayName("A bot user names itself, creates a thread, sends with its via; services and the thread's members get the events")
  void botCreatesAndSends(VertxTestContext ctx) {
    try (BusEvents added = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_ADDED);
         BusEvents sent = BusEvents.open(f.vertx, ApiV1.EVENT_MESSAGE_SENT)) {
      client.upsertUser("deploy-bot", "Deploy Bot").await();
      assertEquals("Deploy Bot", f.row("SELECT name FROM users WHERE id = $1", "deploy-bot").getString(0));
      ThreadSummary thread = client.createThread("deploy-bot", "Deploys", List.of("ada")).await();
      assertEquals(List.of("deploy-bot", "ada"), thread.members().stream().map(m -> m.userId()).toList());
      try (BusEvents feed = BusEvents.open(f.vertx, Addresses.thread(thread.id()), Events.MESSAGE_NEW)) {
        Checkpoint botAdded = ctx.checkpoint();
        Checkpoint adaAdded = ctx.checkpoint();
        Checkpoint serviceSeesMessage = ctx.checkpoint();
        Checkpoint memberSeesVia = ctx.checkpoint();
        flagOn(ctx, botAdded, added.nextEvent(e -> "deploy-bot".equals(e.getString("userId"))), e -> {
          assertEquals(thread.id(), e.getString("threadId"));
          assertEquals("admin", e.getString("role"));
        });
        flagOn(ctx, adaAdded, added.nextEvent(e -> "ada".equals(e.getString("userId"))),
            e -> assertEquals("member", e.getString("role")));

        ApiV1.SendReply reply = client.send("deploy-bot", thread.id(), "  build 42 is live ", "deploy-42").await();
        assertTrue(reply.created());
        Message m = reply.message();
        assertEquals("deploy-bot", m.authorId());
        assertEquals("notifier", m.via());
        assertEquals("build 42 is live", m.body());
        assertEquals(1L, m.seq());
        assertEquals("notifier", f.row("SELECT via FROM messages WHERE id = $1::uuid", m.id()).getString(0));

        flagOn(ctx, serviceSeesMessage, sent.nextEvent(), e -> {
          assertEquals(thread.id(), e.getString("threadId"));
          assertEquals(m.toJson(), e.getJsonObject("message"));
        });
        flagOn(ctx, memberSeesVia, feed.nextEvent(), e -> assertEquals("notifier", e.getJsonObject("message").getString("via")));
        Checkpoints.await(ctx);
      }

      ApiV1.SendReply again = client.send("deploy-bot", thread.id(), "build 42 is live", "deploy-42").await();
      assertFalse(again.created(), "the same clientMessageId returns the first message");
      assertEquals(reply(thread.id()).id(), again.message().id());
      assertEquals(1L, f.count("SELECT count(*) FROM messages WHERE thread_id = $1::uuid", thread.id()));
    }
  }

  private static Message reply(String threadId) {
    return client.history("deploy-bot", threadId, null, null, null).await().messages().get(0);
  }

  @Test
  @DisplayName("A service sends on behalf of a member: the author is the person, via the service; a user's own send has no via")
  void onBehalfOfAUser() {
    String t = f.createThread("ben", "Ben's", "cat").getString("id");
    Message forBen = client.send("ben", t, "auto-reply: on holiday", null).await().message();
    assertEquals("ben", forBen.authorId());
    assertEquals("notifier", forBen.via());
    JsonObject own = f.send("cat", t, "have fun");
    assertTrue(own.containsKey("via"));
    assertNull(own.getValue("via"), "the gateway's sends carry via null");

    List<Message> page = client.history("cat", t, 0L, null, null).await().messages();
    assertEquals(List.of("notifier", "none"), page.stream().map(m -> m.via() == null ? "none" : m.via()).toList());
    JsonObject listed = f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", "ben"))
        .getJsonArray("threads").getJsonObject(0).getJsonObject("lastMessage");
    assertNull(listed.getValue("via"));
    Message last = client.send("cat", t, "one more", null).await().message();
    assertEquals("notifier", f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", "ben"))
        .getJsonArray("threads").getJsonObject(0).getJsonObject("lastMessage").getString("via"), last.id());
  }

  @Test
  @DisplayName("A bot must be a member to send or read; a non-member, an unknown thread and a malformed send store nothing")
  void botsAreMembersLikeAnyone() {
    String t = f.createThread("dee", "Closed", "eli").getString("id");
    assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.send("stray-bot", t, "hi", null).await()));
    assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.history("stray-bot", t, null, null, null).await()));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, code(() -> client.send("dee", UUID.randomUUID().toString(), "hi", null).await()));

    JsonObject send = new JsonObject().put("userId", "dee").put("via", "notifier").put("threadId", t).put("body", "hi");
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, without(send, "via")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, send.copy().put("via", "Evil Service")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, send.copy().put("via", "x".repeat(65))));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, without(send, "userId")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, send.copy().put("userId", "a/b")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, raw(ApiV1.MESSAGE_SEND, send.copy().put("body", " ")));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, raw(ApiV1.MESSAGE_SEND, send.copy().put("body", "x".repeat(4001))));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, send.copy().put("body", "a\u0000b")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, raw(ApiV1.MESSAGE_SEND, send.copy().put("threadId", "../etc")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_SEND, send.copy().put("clientMessageId", 12)));
    ChatException notJson = assertThrows(ChatException.class,
        () -> f.vertx.eventBus().request(ApiV1.MESSAGE_SEND, "not an object").recover(e -> {
          throw ChatException.from(e);
        }).await());
    assertEquals(ErrorCode.INVALID_REQUEST, notJson.code());
    assertEquals(0L, f.count("SELECT count(*) FROM messages WHERE thread_id = $1::uuid", t), "nothing was stored");
    assertEquals(0L, f.count("SELECT last_seq FROM threads WHERE id = $1::uuid", t), "no seq was consumed");
  }

  @Test
  @DisplayName("Members are added and removed with an admin's rights only, and services are told of each change")
  void members(VertxTestContext ctx) {
    String t = client.createThread("fay", "Ops", List.of("gus")).await().id();
    try (BusEvents added = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_ADDED);
         BusEvents removed = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_REMOVED)) {
      Checkpoint hanAdded = ctx.checkpoint();
      Checkpoint gusRemoved = ctx.checkpoint();
      flagOn(ctx, hanAdded, added.nextEvent(e -> t.equals(e.getString("threadId"))),
          e -> assertEquals(new JsonObject().put("threadId", t).put("userId", "han").put("role", "member"), e));
      flagOn(ctx, gusRemoved, removed.nextEvent(e -> t.equals(e.getString("threadId"))),
          e -> assertEquals(new JsonObject().put("threadId", t).put("userId", "gus"), e));

      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.addMember("gus", t, "han").await()));
      assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.addMember("han", t, "han").await()));
      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.removeMember("gus", t, "fay").await()));
      ApiV1.AddMemberReply reply = client.addMember("fay", t, "han").await();
      assertTrue(reply.added());
      assertEquals(3, reply.thread().members().size());
      assertFalse(client.addMember("fay", t, "han").await().added(), "adding twice is a no-op");
      assertTrue(client.removeMember("fay", t, "gus").await());
      assertFalse(client.removeMember("fay", t, "gus").await(), "removing a non-member is a no-op");
      Checkpoints.await(ctx);
    }
    JsonObject add = new JsonObject().put("userId", "fay").put("via", "notifier").put("threadId", t).put("memberId", "ivy");
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MEMBER_ADD, add.copy().put("memberId", "not valid")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MEMBER_ADD, without(add, "via")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, raw(ApiV1.MEMBER_REMOVE, add.copy().put("threadId", UUID.randomUUID().toString())));
    assertEquals(0L, f.count("SELECT count(*) FROM users WHERE id = 'ivy'"), "a refused add creates no user");

    JsonObject create = new JsonObject().put("userId", "fay").put("via", "notifier").put("title", "New");
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_CREATE, create.copy().put("title", "")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_CREATE, create.copy().put("memberIds", new JsonArray().add("a b"))));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_CREATE, create.copy().put("memberIds", "gus")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.USER_UPSERT, new JsonObject().put("userId", "bot").put("via", "notifier")
        .put("name", "x".repeat(201))));
  }

  @Test
  @DisplayName("A service renames, changes roles and mutes with a member's rights; services get thread.renamed, member.role and member.muted; the last admin leaving promotes the longest-standing member")
  void renameRolesMute(VertxTestContext ctx) {
    String t = client.createThread("kim", "Ops", List.of("lee", "max")).await().id();
    try (BusEvents renamed = BusEvents.open(f.vertx, ApiV1.EVENT_THREAD_RENAMED);
         BusEvents roles = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_ROLE_CHANGED);
         BusEvents muted = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_MUTED)) {
      Checkpoint renameSeen = ctx.checkpoint();
      Checkpoint roleSeen = ctx.checkpoint();
      Checkpoint muteSeen = ctx.checkpoint();
      flagOn(ctx, renameSeen, renamed.nextEvent(e -> t.equals(e.getString("threadId"))),
          e -> assertEquals(new JsonObject().put("threadId", t).put("title", "Ops room"), e));
      flagOn(ctx, roleSeen, roles.nextEvent(e -> t.equals(e.getString("threadId"))),
          e -> assertEquals(new JsonObject().put("threadId", t).put("userId", "lee").put("role", "admin"), e));
      flagOn(ctx, muteSeen, muted.nextEvent(e -> t.equals(e.getString("threadId"))),
          e -> assertEquals(new JsonObject().put("threadId", t).put("userId", "max").put("muted", true), e));

      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.renameThread("lee", t, "Mine").await()));
      assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.renameThread("nia", t, "Mine").await()));
      assertEquals("Ops room", client.renameThread("kim", t, " Ops room ").await().title());
      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.changeRole("lee", t, "max", "admin").await()));
      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.changeRole("kim", t, "kim", "member").await()),
          "the last admin cannot be demoted");
      assertEquals(ErrorCode.INVALID_REQUEST, code(() -> client.changeRole("kim", t, "nia", "admin").await()));
      assertEquals(new ApiV1.RoleReply("lee", "admin", true), client.changeRole("kim", t, "lee", "admin").await());
      assertFalse(client.changeRole("kim", t, "lee", "admin").await().changed());
      assertTrue(client.mute("max", t, true).await());
      Checkpoints.await(ctx);
    }
    assertTrue(f.row("SELECT muted FROM thread_members WHERE thread_id = $1::uuid AND user_id = 'max'", t).getBoolean(0));
    assertFalse(f.row("SELECT muted FROM thread_members WHERE thread_id = $1::uuid AND user_id = 'kim'", t).getBoolean(0));
    JsonObject rename = new JsonObject().put("userId", "kim").put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_RENAME, rename.copy().put("title", "")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_MUTE, rename.copy().put("muted", "true")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MEMBER_ROLE, rename.copy().put("memberId", "lee").put("role", "root")));
  }

  @Test
  @DisplayName("Two admins leaving at the same moment, 20 times: every thread keeps exactly one admin among those who stay")
  void concurrentLastAdmins() {
    for (int round = 0; round < 20; round++) {
      String t = client.createThread("oda", "Race " + round, List.of("pia", "quy", "rex")).await().id();
      client.changeRole("oda", t, "pia", "admin").await();
      io.vertx.core.Future.all(client.removeMember("oda", t, "oda"), client.removeMember("pia", t, "pia")).await();
      assertEquals(1L, f.count("SELECT count(*) FROM thread_members WHERE thread_id = '" + t + "'::uuid AND role = 'admin'"),
          "round " + round);
      assertEquals("admin", f.row("SELECT role FROM thread_members WHERE thread_id = $1::uuid AND user_id = 'quy'", t)
          .getString(0), "quy and rex joined together: the first by id");
    }
  }

  @Test
  @DisplayName("History pages by afterSeq, beforeSeq and limit, oldest first, as through the gateway")
  void history() {
    String t = f.createThread("jo", "Log").getString("id");
    for (int i = 1; i <= 7; i++) {
      client.send("jo", t, "line " + i, null).await();
    }
    ApiV1.HistoryPage after = client.history("jo", t, 2L, null, 3L).await();
    assertEquals(List.of(3L, 4L, 5L), after.messages().stream().map(Message::seq).toList());
    assertTrue(after.hasMore());
    ApiV1.HistoryPage before = client.history("jo", t, null, 3L, null).await();
    assertEquals(List.of(1L, 2L), before.messages().stream().map(Message::seq).toList());
    assertFalse(before.hasMore());
    ApiV1.HistoryPage range = client.history("jo", t, 4L, 7L, null).await();
    assertEquals(List.of(5L, 6L), range.messages().stream().map(Message::seq).toList());
    assertEquals(List.of(6L, 7L), client.history("jo", t, null, null, 2L).await().messages().stream().map(Message::seq).toList());

    JsonObject q = new JsonObject().put("userId", "jo").put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("limit", 0)));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("limit", 201)));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("afterSeq", -1)));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("afterSeq", "2")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("afterSeq", 1.5)));
  }

  @Test
  @DisplayName("A service edits and deletes as the author, raises the v1 events, and catches up on both with changedAfter")
  void editsDeletesAndChangedAfter() {
    String t = f.createThread("kim", "Ops", "lee").getString("id");
    Message one = client.send("kim", t, "one", null).await().message();
    Message two = client.send("kim", t, "two", null).await().message();
    long seen = two.version();
    try (BusEvents edited = BusEvents.open(f.vertx, ApiV1.EVENT_MESSAGE_EDITED);
         BusEvents deleted = BusEvents.open(f.vertx, ApiV1.EVENT_MESSAGE_DELETED)) {
      ApiV1.EditReply edit = client.edit("kim", t, one.id(), "one, fixed").await();
      assertTrue(edit.changed());
      assertEquals("one, fixed", edit.message().body());
      assertFalse(client.edit("kim", t, one.id(), "one, fixed").await().changed(), "the same body changes nothing");
      JsonObject editEvent = edited.nextMatching(e -> t.equals(e.getString("threadId")), "the v1 edit event");
      assertEquals("one, fixed", editEvent.getJsonObject("message").getString("body"));
      assertEquals(ErrorCode.FORBIDDEN, code(() -> client.edit("lee", t, one.id(), "not mine").await()));

      assertTrue(client.delete("kim", t, two.id()).await());
      assertFalse(client.delete("kim", t, two.id()).await(), "already a tombstone");
      JsonObject deleteEvent = deleted.nextMatching(e -> t.equals(e.getString("threadId")), "the v1 delete event");
      assertEquals(two.id(), deleteEvent.getString("messageId"));
      assertEquals(2L, deleteEvent.getLong("seq"));
    }
    Message three = client.send("kim", t, "three", null).await().message();
    List<Message> changes = client.changedAfter("lee", t, seen, null).await().messages();
    assertEquals(List.of(one.id(), two.id(), three.id()), changes.stream().map(Message::id).toList(),
        "the edit, the delete and the new message, in version order");
    assertEquals("one, fixed", changes.get(0).body());
    assertTrue(changes.get(1).deleted());
    assertEquals("", changes.get(1).body());
    assertEquals(List.of(three.id()), client.changedAfter("lee", t, changes.get(2).version() - 1, null).await()
        .messages().stream().map(Message::id).toList());

    JsonObject q = new JsonObject().put("userId", "lee").put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("changedAfter", 1).put("afterSeq", 1)));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_HISTORY, q.copy().put("changedAfter", "1")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, raw(ApiV1.MESSAGE_EDIT, q.copy().put("messageId", one.id())));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.MESSAGE_EDIT, q.copy().put("messageId", one.id()).put("body", 5)));
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND, raw(ApiV1.MESSAGE_DELETE, q.copy().put("messageId", "x")));
    assertEquals(ErrorCode.NOT_MEMBER, raw(ApiV1.MESSAGE_DELETE, q.copy().put("userId", "eve").put("messageId", one.id())));
  }

  @Test
  @DisplayName("A service reads one thread as a member sees it (title, lastSeq); an outsider and an unknown thread are refused")
  void threadGet() {
    String t = f.createThread("kim", "Standup", "lou").getString("id");
    client.send("kim", t, "morning", null).await();
    ThreadSummary seen = client.thread("lou", t).await();
    assertEquals(t, seen.id());
    assertEquals("Standup", seen.title());
    assertEquals(1L, seen.lastSeq());
    assertEquals(1L, seen.unread(), "as lou sees it");
    assertEquals(2, seen.memberCount());
    assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.thread("stray-bot", t).await()));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, code(() -> client.thread("kim", UUID.randomUUID().toString()).await()));
    JsonObject q = new JsonObject().put("userId", "kim").put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.INVALID_REQUEST, raw(ApiV1.THREAD_GET, without(q, "via")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, raw(ApiV1.THREAD_GET, q.copy().put("threadId", "../etc")));
  }

  @Test
  @DisplayName("Creating a thread of 30 raises member.added for every one of them, beyond the summary's first 20")
  void memberAddedForEveryMember() {
    List<String> members = new java.util.ArrayList<>();
    for (int i = 0; i < 29; i++) {
      members.add("crowd-" + i);
    }
    try (BusEvents added = BusEvents.open(f.vertx, ApiV1.EVENT_MEMBER_ADDED)) {
      ThreadSummary thread = client.createThread("host", "Crowd", members).await();
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (seen.size() < 30) {
        JsonObject e = added.nextMatching(x -> thread.id().equals(x.getString("threadId")), "member.added " + seen.size());
        seen.add(e.getString("userId") + ":" + e.getString("role"));
      }
      assertTrue(seen.contains("host:admin"), seen.toString());
      assertTrue(seen.contains("crowd-28:member"), seen.toString());
    }
  }

  private static JsonObject without(JsonObject body, String field) {
    JsonObject copy = body.copy();
    copy.remove(field);
    return copy;
  }

  private static ErrorCode raw(String address, JsonObject body) {
    return f.failure(address, body);
  }

  private static ErrorCode code(Supplier<?> call) {
    return assertThrows(ChatException.class, call::get).code();
  }
}
