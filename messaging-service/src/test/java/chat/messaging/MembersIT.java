package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.TestEnv;
import chat.shared.model.Events;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Members: add, remove, check. {@link MembersAddressRoutingIT} runs it again with {@code BUS_ROUTING=address}. */
class MembersIT {
  private static MessagingFixture f;

  @BeforeAll
  static void start(TestInfo info) {
    f = MessagingFixture.start(TestEnv.testClass(info), env -> env.put(BusRouting.KEY, TestEnv.routing(info).name()));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject req(String caller, String thread, String member) {
    return new JsonObject().put("userId", caller).put("threadId", thread).put("memberId", member);
  }

  private static JsonObject check(String user, String thread) {
    return new JsonObject().put("userId", user).put("threadId", thread);
  }

  @Test
  @DisplayName("An admin adds a member, who sees the whole history as unread and is told thread:added")
  void adminAddsMember() {
    String t = f.createThread("amy", "Team", "bo").getString("id");
    f.send("amy", t, "one");
    f.send("bo", t, "two");
    var newcomer = f.listen(Addresses.user("cy"));
    JsonObject reply = f.call(Addresses.MEMBER_ADD, req("amy", t, "cy"));
    assertTrue(reply.getBoolean("added"));
    JsonObject summary = reply.getJsonObject("thread");
    assertEquals(t, summary.getString("id"));
    assertEquals(1L, summary.getLong("unread"), "the reply is the thread as the admin sees it: bo's message unread");
    assertEquals(3, summary.getJsonArray("members").size());
    JsonObject added = newcomer.await(e -> Events.THREAD_ADDED.equals(e.getString("type")));
    assertEquals(t, added.getJsonObject("thread").getString("id"));
    assertEquals(2L, added.getJsonObject("thread").getLong("unread"));
    assertEquals(2L, added.getJsonObject("thread").getJsonObject("lastMessage").getLong("seq"));
    assertEquals("member", f.call(Addresses.MEMBER_CHECK, check("cy", t)).getString("role"));
    assertEquals("cy", f.row("SELECT name FROM users WHERE id = $1", "cy").getString(0));
    assertEquals(3L, f.send("cy", t, "hello").getLong("seq"));

    JsonObject again = f.call(Addresses.MEMBER_ADD, req("amy", t, "cy"));
    assertFalse(again.getBoolean("added"));
    assertEquals(3, again.getJsonObject("thread").getJsonArray("members").size());
  }

  @Test
  @DisplayName("Only admins add members: a plain member is forbidden, an outsider is not a member, a missing thread is not found")
  void addRules() {
    String t = f.createThread("dan", "Closed", "eve").getString("id");
    assertEquals(ErrorCode.FORBIDDEN, f.failure(Addresses.MEMBER_ADD, req("eve", t, "fay")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_ADD, req("fay", t, "fay")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_ADD, req("dan", UUID.randomUUID().toString(), "fay")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_ADD, req("dan", "x", "fay")));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MEMBER_ADD, req("dan", t, "not valid")));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MEMBER_ADD, req("dan", t, null)));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_CHECK, check("fay", t)));
    assertEquals(0L, f.count("SELECT count(*) FROM users WHERE id = 'fay'"), "a refused add creates no user");
  }

  @Test
  @DisplayName("An admin removes a member, who then can no longer send or read, and gateways are told")
  void adminRemovesMember() {
    String t = f.createThread("gus", "Crew", "hana", "ian").getString("id");
    var removedEvents = f.listen(Addresses.EVENT_MEMBER_REMOVED);
    assertEquals(new JsonObject().put("removed", true).putNull("promoted"), f.call(Addresses.MEMBER_REMOVE, req("gus", t, "hana")));
    JsonObject event = removedEvents.await(e -> t.equals(e.getString("threadId")));
    assertEquals(new JsonObject().put("threadId", t).put("userId", "hana"), event);
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_CHECK, check("hana", t)));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_SEND, MessagingFixture.sendRequest("hana", t, "hi")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_HISTORY, check("hana", t)));
    assertEquals(new JsonObject().put("removed", false).putNull("promoted"), f.call(Addresses.MEMBER_REMOVE, req("gus", t, "hana")),
        "removing a non-member is a harmless no-op");
    assertEquals(1, removedEvents.all().stream().filter(e -> t.equals(e.getString("threadId"))).count());
  }

  @Test
  @DisplayName("A plain member may not remove others but may leave; an outsider may not remove anyone")
  void removeRules() {
    String t = f.createThread("jo", "Club", "kai", "lu").getString("id");
    assertEquals(ErrorCode.FORBIDDEN, f.failure(Addresses.MEMBER_REMOVE, req("kai", t, "lu")));
    assertEquals(ErrorCode.FORBIDDEN, f.failure(Addresses.MEMBER_REMOVE, req("kai", t, "jo")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_REMOVE, req("max", t, "lu")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_REMOVE, req("jo", UUID.randomUUID().toString(), "lu")));
    assertEquals("member", f.call(Addresses.MEMBER_CHECK, check("lu", t)).getString("role"));
    assertEquals(new JsonObject().put("removed", true).putNull("promoted"), f.call(Addresses.MEMBER_REMOVE, req("kai", t, "kai")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_CHECK, check("kai", t)));
    assertEquals(new JsonObject().put("removed", false).putNull("promoted"), f.call(Addresses.MEMBER_REMOVE, req("kai", t, "kai")));
    assertEquals("admin", f.call(Addresses.MEMBER_CHECK, check("jo", t)).getString("role"));
  }

  @Test
  @DisplayName("A membership check answers the role, or why there is none")
  void memberCheck() {
    String t = f.createThread("ned", "Check", "ola").getString("id");
    assertEquals(new JsonObject().put("role", "admin"), f.call(Addresses.MEMBER_CHECK, check("ned", t)));
    assertEquals(new JsonObject().put("role", "member"), f.call(Addresses.MEMBER_CHECK, check("ola", t)));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_CHECK, check("pam", t)));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_CHECK, check("ned", UUID.randomUUID().toString())));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MEMBER_CHECK, new JsonObject().put("threadId", t)));
  }
}
