package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.bus.Addresses;
import chat.shared.testing.BridgeClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PATCH and DELETE of a message over HTTP, the live events on the bridge, and changedAfter. */
class MessageEditsIT {
  private static GatewaySystem system;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(MessageEditsIT.class);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static String path(String thread, String message) {
    return "/api/threads/" + thread + "/messages/" + message;
  }

  @Test
  @DisplayName("An edit answers 200 with the message and a delete 204; members see message:updated and message:deleted live, the badge falls, and changedAfter returns both changes")
  void editAndDeleteEndToEnd() {
    String alice = user("alice");
    String bob = user("bob");
    String thread = system.createThread(alice, "Edits", bob);
    JsonObject first = system.sendMessage(alice, thread, "helo");
    JsonObject second = system.sendMessage(alice, thread, "oops");
    try (BridgeClient bobClient = system.bridge(bob)) {
      bobClient.register(Addresses.thread(thread));
      bobClient.register(Addresses.user(bob));
      bobClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      bobClient.awaitRegistered(system.vertx, Addresses.user(bob));

      Response edited = system.call(HttpMethod.PATCH, system.token(alice), path(thread, first.getString("id")),
          new JsonObject().put("body", "hello"));
      assertEquals(200, edited.status(), edited.toString());
      JsonObject message = edited.json().getJsonObject("message");
      assertEquals("hello", message.getString("body"));
      assertEquals(3L, message.getLong("version"));
      assertNotNull(message.getString("editedAt"));
      JsonObject updated = bobClient.awaitMessage(Addresses.thread(thread), b -> "message:updated".equals(b.getString("type")));
      assertEquals(message, updated.getJsonObject("message"));

      Response deleted = system.delete(system.token(alice), path(thread, second.getString("id")));
      assertEquals(204, deleted.status(), deleted.toString());
      assertEquals("", deleted.body() == null ? "" : deleted.body());
      JsonObject gone = bobClient.awaitMessage(Addresses.thread(thread), b -> "message:deleted".equals(b.getString("type")));
      assertEquals(new JsonObject().put("type", "message:deleted").put("threadId", thread)
          .put("messageId", second.getString("id")).put("seq", 2L), gone);
      bobClient.awaitMessage(Addresses.user(bob), b -> "message:deleted".equals(b.getString("type")));
      bobClient.awaitMessage(Addresses.user(bob),
          b -> "unread:update".equals(b.getString("type")) && b.getLong("unread") == 1L && b.getLong("total") == 1L);
    }
    assertEquals(1L, system.get(system.token(bob), "/api/threads/unread").json().getLong("total"));

    JsonObject changes = system.get(system.token(bob), "/api/threads/" + thread + "/messages?changedAfter=2&limit=10").json();
    JsonArray messages = changes.getJsonArray("messages");
    assertEquals(2, messages.size(), changes.encode());
    assertEquals("hello", messages.getJsonObject(0).getString("body"));
    assertEquals(3L, messages.getJsonObject(0).getLong("version"));
    assertTrue(messages.getJsonObject(1).getBoolean("deleted"));
    assertEquals(4L, messages.getJsonObject(1).getLong("version"));
    assertEquals(Boolean.FALSE, changes.getBoolean("hasMore"));
  }

  @Test
  @DisplayName("Edits and deletes answer the catalogue's errors: 403 forbidden, 403 not_member, 404 message_not_found, 400 for bad bodies and query combinations")
  void refusals() {
    String alice = user("alice");
    String bob = user("bob");
    String eve = user("eve");
    String thread = system.createThread(alice, "Refusals", bob);
    String m = system.sendMessage(alice, thread, "mine").getString("id");
    assertEquals("forbidden", patch(bob, thread, m, new JsonObject().put("body", "x")).error());
    assertEquals("forbidden", system.delete(system.token(bob), path(thread, m)).error());
    assertEquals("not_member", patch(eve, thread, m, new JsonObject().put("body", "x")).error());
    assertEquals("not_member", system.delete(system.token(eve), path(thread, m)).error());
    Response unknown = system.delete(system.token(alice), path(thread, UUID.randomUUID().toString()));
    assertEquals(404, unknown.status());
    assertEquals("message_not_found", unknown.error());
    assertEquals("message_not_found", patch(alice, thread, "no-such-id", new JsonObject().put("body", "x")).error());
    assertEquals("thread_not_found", patch(alice, "nope", m, new JsonObject().put("body", "x")).error());
    assertEquals("invalid_request", system.call(HttpMethod.PATCH, system.token(alice), path(thread, m), "[1]").error());
    assertEquals("invalid_request", system.call(HttpMethod.PATCH, system.token(alice), path(thread, m), "{").error());
    assertEquals("empty_message", patch(alice, thread, m, new JsonObject().put("body", " ")).error());
    assertEquals("message_too_long", patch(alice, thread, m, new JsonObject().put("body", "y".repeat(4001))).error());
    // A messageId in the body never points the edit elsewhere: the path decides.
    String other = system.sendMessage(alice, thread, "other").getString("id");
    assertEquals(200, patch(alice, thread, m, new JsonObject().put("body", "z").put("messageId", other)
        .put("userId", bob)).status());
    JsonArray history = system.get(system.token(alice), "/api/threads/" + thread + "/messages").json().getJsonArray("messages");
    assertEquals("z", history.getJsonObject(0).getString("body"));
    assertEquals("other", history.getJsonObject(1).getString("body"));
    for (String query : new String[] {"changedAfter=-1", "changedAfter=x", "changedAfter=1&afterSeq=1",
        "changedAfter=1&beforeSeq=9", "changedAfter=1&changedAfter=2", "changedAfter=1&limit=201"}) {
      Response r = system.get(system.token(alice), "/api/threads/" + thread + "/messages?" + query);
      assertEquals(400, r.status(), query + ": " + r);
      assertEquals("invalid_request", r.error(), query);
    }
  }

  private static Response patch(String userId, String thread, String message, JsonObject body) {
    return system.call(HttpMethod.PATCH, system.token(userId), path(thread, message), body);
  }
}
