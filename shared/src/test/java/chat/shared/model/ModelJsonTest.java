package chat.shared.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelJsonTest {
  private static final Message MESSAGE = new Message("m1", "t1", 7, 9, "alice", "héllo <b>", Instant.parse("2026-11-25T21:53:17.042Z"),
      "c-1", new JsonArray(), Instant.parse("2026-11-25T21:54:00.500Z"), false, null);

  @Test
  @DisplayName("A message has exactly the contract's fields in its order, createdAt and editedAt in ISO-8601 UTC with milliseconds")
  void messageShape() {
    JsonObject json = MESSAGE.toJson();
    assertEquals(List.of("id", "threadId", "seq", "version", "authorId", "body", "createdAt", "clientMessageId", "attachments",
        "editedAt", "deleted", "via"),
        List.copyOf(json.fieldNames()));
    assertEquals("2026-11-25T21:53:17.042Z", json.getString("createdAt"));
    assertEquals("2026-11-25T21:54:00.500Z", json.getString("editedAt"));
    assertEquals("2026-11-25T21:53:17.000Z", Timestamps.format(Instant.parse("2026-11-25T21:53:17Z")));
    assertEquals(MESSAGE, Message.fromJson(new JsonObject(json.encode())));
  }

  @Test
  @DisplayName("A thread summary round-trips through JSON with its members and last message")
  void summaryRoundTrip() {
    ThreadSummary t = new ThreadSummary("t1", "Lunch", MESSAGE.createdAt(), MESSAGE.createdAt(), 7, MESSAGE, 3, true, 2,
        List.of(new Member("alice", "Alice", Member.ADMIN), new Member("bob", "Bob", Member.MEMBER)));
    JsonObject json = t.toJson();
    assertEquals(List.of("id", "title", "createdAt", "updatedAt", "lastSeq", "lastMessage", "unread", "muted", "memberCount",
        "members"), List.copyOf(json.fieldNames()));
    assertEquals(t, ThreadSummary.fromJson(new JsonObject(json.encode())));
    // a summary from a node older than mute has no "muted": it reads as not muted
    JsonObject old = new JsonObject(json.encode());
    old.remove("muted");
    assertEquals(false, ThreadSummary.fromJson(old).muted());
  }

  @Test
  @DisplayName("Events carry their type and the contract's fields; lists are sorted so equal lists are equal")
  void events() {
    assertEquals(new JsonObject().put("type", "presence:update").put("threadId", "t").put("onlineUserIds", new JsonArray().add("a").add("b")),
        Events.presenceUpdate("t", List.of("b", "a")));
    assertEquals(new JsonObject().put("type", "unread:update").put("threadId", "t").put("unread", 2L).put("total", 5L),
        Events.unreadUpdate("t", 2, 5));
    assertEquals("message:new", Events.messageNew(MESSAGE).getString("type"));
    assertEquals(MESSAGE.toJson(), Events.messageNew(MESSAGE).getJsonObject("message"));
  }
}
