package chat.api.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Bodies;
import chat.shared.bus.Endpoint;
import chat.shared.bus.Topic;
import chat.shared.model.Member;
import chat.shared.model.Message;
import chat.shared.model.Receipt;
import chat.shared.model.ThreadSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The v1 shapes are a promise to other teams' services: this test pins every address and every field
 * name, so changing one fails here (a change needs v2; adding is allowed and updates this list).
 */
class ApiV1ShapesTest {
  private static final String THREAD = UUID.randomUUID().toString();
  private static final Instant AT = Instant.parse("2026-11-25T21:53:17.042Z");
  private static final Message MESSAGE =
      new Message("m1", THREAD, 3, 3, "bot", "hi", AT, "c1", new JsonArray(), null, false, "notifier");
  private static final ThreadSummary SUMMARY = new ThreadSummary(THREAD, "T", AT, AT, 3, MESSAGE, 0, false, 1,
      List.of(new Member("bot", "Bot", Member.ADMIN)));

  @Test
  @DisplayName("Every v1 address is under chat.api.v1. and is exactly the documented one")
  void addresses() throws Exception {
    Map<String, String> endpoints = new LinkedHashMap<>();
    Map<String, String> topics = new LinkedHashMap<>();
    for (Field f : ApiV1.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Endpoint<?, ?> e) {
        endpoints.put(e.address(), e.requestType().getSimpleName() + "->" + e.replyType().getSimpleName());
      } else if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Topic<?> t) {
        topics.put(t.address(), t.eventType().getSimpleName());
      }
    }
    assertEquals(Map.ofEntries(
        Map.entry("chat.api.v1.user.upsert", "UpsertUser->UserReply"),
        Map.entry("chat.api.v1.thread.create", "CreateThread->ThreadReply"),
        Map.entry("chat.api.v1.member.add", "AddMember->AddMemberReply"),
        Map.entry("chat.api.v1.member.remove", "RemoveMember->RemoveMemberReply"),
        Map.entry("chat.api.v1.message.send", "SendMessage->SendReply"),
        Map.entry("chat.api.v1.message.history", "GetHistory->HistoryPage"),
        Map.entry("chat.api.v1.message.edit", "EditMessage->EditReply"),
        Map.entry("chat.api.v1.message.delete", "DeleteMessage->DeleteReply"),
        Map.entry("chat.api.v1.attachment.link", "GetAttachmentLink->AttachmentLink"),
        Map.entry("chat.api.v1.presence.get", "GetPresence->PresenceReply"),
        Map.entry("chat.api.v1.unread.get", "GetUnread->UnreadReply"),
        Map.entry("chat.api.v1.thread.get", "GetThread->ThreadReply"),
        Map.entry("chat.api.v1.receipts.get", "GetReceipts->ReceiptsReply"),
        Map.entry("chat.api.v1.thread.rename", "RenameThread->ThreadReply"),
        Map.entry("chat.api.v1.member.role", "ChangeRole->RoleReply"),
        Map.entry("chat.api.v1.thread.mute", "MuteThread->MuteReply")), endpoints);
    assertEquals(Map.of(
        "chat.api.v1.event.message.sent", "MessageSent",
        "chat.api.v1.event.message.edited", "MessageEdited",
        "chat.api.v1.event.message.deleted", "MessageDeleted",
        "chat.api.v1.event.member.added", "MemberAdded",
        "chat.api.v1.event.member.removed", "MemberRemoved",
        "chat.api.v1.event.read.moved", "ReadMoved",
        "chat.api.v1.event.thread.renamed", "ThreadRenamed",
        "chat.api.v1.event.member.role", "MemberRoleChanged",
        "chat.api.v1.event.member.muted", "MemberMuted"), topics);
  }

  @Test
  @DisplayName("Every v1 request, reply and event has exactly its documented fields, in order")
  void fields() {
    assertFields(new ApiV1.UpsertUser("bot", "notifier", "Bot"), "userId", "via", "name");
    assertFields(new ApiV1.CreateThread("bot", "notifier", "T", List.of("a")), "userId", "via", "title", "memberIds");
    assertFields(new ApiV1.AddMember("bot", "notifier", THREAD, "a"), "userId", "via", "threadId", "memberId");
    assertFields(new ApiV1.RemoveMember("bot", "notifier", THREAD, "a"), "userId", "via", "threadId", "memberId");
    assertFields(new ApiV1.SendMessage("bot", "notifier", THREAD, "hi", "c1"),
        "userId", "via", "threadId", "body", "clientMessageId");
    assertFields(new ApiV1.GetHistory("bot", "notifier", THREAD, 1L, 9L, 5L),
        "userId", "via", "threadId", "afterSeq", "beforeSeq", "limit", "changedAfter");
    assertFields(new ApiV1.EditMessage("bot", "notifier", THREAD, UUID.randomUUID().toString(), "hi"),
        "userId", "via", "threadId", "messageId", "body");
    assertFields(new ApiV1.DeleteMessage("bot", "notifier", THREAD, UUID.randomUUID().toString()),
        "userId", "via", "threadId", "messageId");
    assertFields(new ApiV1.GetPresence("bot", "notifier", THREAD), "userId", "via", "threadId");
    assertFields(new ApiV1.GetUnread("bot", "notifier"), "userId", "via");
    assertFields(new ApiV1.GetThread("bot", "notifier", THREAD), "userId", "via", "threadId");
    assertFields(new ApiV1.GetReceipts("bot", "notifier", THREAD), "userId", "via", "threadId");

    assertFields(new ApiV1.RenameThread("bot", "notifier", THREAD, "T"), "userId", "via", "threadId", "title");
    assertFields(new ApiV1.ChangeRole("bot", "notifier", THREAD, "a", Member.ADMIN),
        "userId", "via", "threadId", "memberId", "role");
    assertFields(new ApiV1.MuteThread("bot", "notifier", THREAD, true), "userId", "via", "threadId", "muted");

    assertFields(new ApiV1.UserReply("bot"), "userId");
    assertFields(new ApiV1.RoleReply("a", Member.ADMIN, true), "userId", "role", "changed");
    assertFields(new ApiV1.MuteReply(true), "muted");
    assertFields(new ApiV1.ThreadReply(SUMMARY), "thread");
    assertFields(new ApiV1.AddMemberReply(true, SUMMARY), "added", "thread");
    assertFields(new ApiV1.RemoveMemberReply(true), "removed");
    assertFields(new ApiV1.SendReply(MESSAGE, true), "message", "created");
    assertFields(new ApiV1.HistoryPage(List.of(MESSAGE), false), "messages", "hasMore");
    assertFields(new ApiV1.PresenceReply(THREAD, List.of("a"), List.of()), "threadId", "onlineUserIds", "typingUserIds");
    assertFields(new ApiV1.UnreadReply(List.of(new ApiV1.ThreadUnread(THREAD, 2)), 2), "byThread", "total");
    assertFields(new ApiV1.ThreadUnread(THREAD, 2), "threadId", "unread");
    assertFields(new ApiV1.EditReply(MESSAGE, true), "message", "changed");
    assertFields(new ApiV1.GetAttachmentLink("bot", "notifier", UUID.randomUUID().toString()), "userId", "via", "attachmentId");
    assertFields(new ApiV1.AttachmentLink("a1", THREAD, "f.pdf", "application/pdf", 3, "/api/attachments/a1"),
        "id", "threadId", "name", "contentType", "size", "url");
    assertFields(new ApiV1.DeleteReply(true), "deleted");
    assertFields(new ApiV1.ReceiptsReply(THREAD, List.of(new Receipt("a", 2, AT))), "threadId", "receipts");
    assertFields(new Receipt("a", 2, AT), "userId", "lastReadSeq", "lastReadAt");

    assertFields(new ApiV1.MessageSent(THREAD, MESSAGE), "threadId", "message");
    assertFields(new ApiV1.MessageEdited(THREAD, MESSAGE), "threadId", "message");
    assertFields(new ApiV1.MessageDeleted(THREAD, "m1", 3), "threadId", "messageId", "seq");
    assertFields(new ApiV1.MemberAdded(THREAD, "a", Member.MEMBER), "threadId", "userId", "role");
    assertFields(new ApiV1.MemberRemoved(THREAD, "a"), "threadId", "userId");
    assertFields(new ApiV1.ReadMoved(THREAD, "a", 3, AT), "threadId", "userId", "lastReadSeq", "lastReadAt");
    assertFields(new ApiV1.ThreadRenamed(THREAD, "T"), "threadId", "title");
    assertFields(new ApiV1.MemberRoleChanged(THREAD, "a", Member.ADMIN), "threadId", "userId", "role");
    assertFields(new ApiV1.MemberMuted(THREAD, "a", true), "threadId", "userId", "muted");
    assertEquals(List.of("id", "title", "createdAt", "updatedAt", "lastSeq", "lastMessage", "unread", "muted",
        "memberCount", "members"), List.copyOf(SUMMARY.toJson().fieldNames()));

    JsonObject sent = Bodies.encode(new ApiV1.MessageSent(THREAD, MESSAGE));
    assertEquals("notifier", sent.getJsonObject("message").getString("via"));
    assertEquals("2026-11-25T21:53:17.042Z", sent.getJsonObject("message").getString("createdAt"));
    assertEquals(new ApiV1.MessageSent(THREAD, MESSAGE), Bodies.decode(new JsonObject(sent.encode()), ApiV1.MessageSent.class));
  }

  @Test
  @DisplayName("via is required and must be a short, clean service name; anything else is invalid_request")
  void via() {
    assertEquals("notifier-2.eu_west", new ApiV1.GetUnread("bot", "notifier-2.eu_west").via());
    assertEquals(64, new ApiV1.GetUnread("bot", "a".repeat(64)).via().length());
    List<String> refused = new ArrayList<>(List.of("", " ", "a".repeat(65), "Notifier", "-x", ".x", "a b", "a/b",
        "a\u0000", "bot\n", "ünï", "<script>", "a:b"));
    for (String bad : refused) {
      ChatException e = assertThrows(ChatException.class, () -> request(new JsonObject().put("userId", "bot").put("via", bad)),
          () -> "via " + bad);
      assertEquals(ErrorCode.INVALID_REQUEST, e.code());
      assertTrue(e.getMessage().contains("via"), e.getMessage());
    }
    assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(ChatException.class,
        () -> request(new JsonObject().put("userId", "bot"))).code());
    assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(ChatException.class,
        () -> request(new JsonObject().put("userId", "bot").put("via", 7))).code());
  }

  @Test
  @DisplayName("Malformed v1 requests are refused with the catalogue's code as they are decoded")
  void malformed() {
    JsonObject send = new JsonObject().put("userId", "bot").put("via", "notifier").put("threadId", THREAD).put("body", "hi");
    assertEquals("hi", Bodies.decode(send, ApiV1.SendMessage.class).body());
    assertEquals(ErrorCode.EMPTY_MESSAGE, code(send.copy().put("body", "  "), ApiV1.SendMessage.class));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, code(send.copy().put("body", "x".repeat(4001)), ApiV1.SendMessage.class));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, code(send.copy().put("threadId", "nope"), ApiV1.SendMessage.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(send.copy().put("userId", "a b"), ApiV1.SendMessage.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(withoutUser(send), ApiV1.SendMessage.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(send.copy().put("body", 5), ApiV1.SendMessage.class));
    JsonObject history = new JsonObject().put("userId", "bot").put("via", "notifier").put("threadId", THREAD);
    assertEquals(ErrorCode.INVALID_REQUEST, code(history.copy().put("limit", 201), ApiV1.GetHistory.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(history.copy().put("afterSeq", -1), ApiV1.GetHistory.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(history.copy().put("afterSeq", "3"), ApiV1.GetHistory.class));
    JsonObject create = new JsonObject().put("userId", "bot").put("via", "notifier").put("title", "T");
    assertEquals(ErrorCode.INVALID_REQUEST, code(create.copy().put("memberIds", new JsonArray().add("ok").add("not ok")),
        ApiV1.CreateThread.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(create.copy().put("title", " "), ApiV1.CreateThread.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(new JsonObject().put("via", "notifier").put("userId", "bot").put("threadId", THREAD)
        .put("memberId", "x y"), ApiV1.AddMember.class));
    JsonObject role = new JsonObject().put("userId", "bot").put("via", "notifier").put("threadId", THREAD).put("memberId", "a");
    assertEquals(ErrorCode.INVALID_REQUEST, code(role.copy().put("role", "owner"), ApiV1.ChangeRole.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(role.copy(), ApiV1.ChangeRole.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(role.copy().put("role", 1), ApiV1.ChangeRole.class));
    JsonObject mute = new JsonObject().put("userId", "bot").put("via", "notifier").put("threadId", THREAD);
    assertEquals(ErrorCode.INVALID_REQUEST, code(mute.copy(), ApiV1.MuteThread.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(mute.copy().put("muted", "yes"), ApiV1.MuteThread.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(mute.copy().put("muted", 1), ApiV1.MuteThread.class));
    assertEquals(ErrorCode.INVALID_REQUEST, code(new JsonObject().put("userId", "bot").put("via", "notifier")
        .put("threadId", THREAD).put("title", " "), ApiV1.RenameThread.class));
  }

  private static JsonObject withoutUser(JsonObject body) {
    JsonObject copy = body.copy();
    copy.remove("userId");
    return copy;
  }

  private static ErrorCode code(JsonObject body, Class<?> type) {
    return assertThrows(ChatException.class, () -> Bodies.decode(body, type), body::encode).code();
  }

  private static void request(JsonObject body) {
    Bodies.decode(body, ApiV1.GetUnread.class);
  }

  private static void assertFields(Object record, String... fields) {
    assertEquals(List.of(fields), List.copyOf(Bodies.encode(record).fieldNames()), record.getClass().getSimpleName());
  }
}
