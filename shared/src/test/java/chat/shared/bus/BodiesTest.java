package chat.shared.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.model.Member;
import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import chat.shared.protocol.Messaging.CreateThread;
import chat.shared.protocol.Messaging.History;
import chat.shared.protocol.Messaging.SendMessage;
import chat.shared.protocol.Unread.MarkRead;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BodiesTest {
  private static final String THREAD = "0a8f4c2e-1b7d-4e8e-9a5b-3c2d1e0f9a8b";

  private static ChatException refused(Object body, Class<?> type) {
    return assertThrows(ChatException.class, () -> Bodies.decode(body, type));
  }

  private static JsonObject send() {
    return new JsonObject().put("userId", "alice").put("threadId", THREAD).put("body", " hi ");
  }

  @Test
  @DisplayName("A valid body becomes its record, validated and normalised by the record's constructor")
  void decodesValid() {
    SendMessage m = Bodies.decode(send().put("threadId", THREAD.toUpperCase()), SendMessage.class);
    assertEquals(new SendMessage("alice", THREAD, "hi", null), m);
    CreateThread t = Bodies.decode(new JsonObject().put("userId", "alice").put("title", " T ")
        .put("memberIds", new JsonArray().add("bob").add("bob")), CreateThread.class);
    assertEquals(List.of("bob"), t.memberIds());
    assertEquals("T", t.title());
  }

  @Test
  @DisplayName("The catalogue's error of a broken rule comes through decoding unchanged")
  void rulesKeepTheirCodes() {
    assertEquals(ErrorCode.EMPTY_MESSAGE, refused(send().put("body", "  "), SendMessage.class).code());
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, refused(send().put("body", "x".repeat(4001)), SendMessage.class).code());
    assertEquals(ErrorCode.THREAD_NOT_FOUND, refused(send().put("threadId", "../etc"), SendMessage.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(send().putNull("threadId"), SendMessage.class).code());
    ChatException missing = refused(new JsonObject().put("threadId", THREAD).put("body", "x"), SendMessage.class);
    assertEquals(ErrorCode.INVALID_REQUEST, missing.code());
    assertTrue(missing.getMessage().contains("'userId'"), missing.getMessage());
  }

  @Test
  @DisplayName("Nothing is coerced: a number is not a string, a string or a fraction is not a whole number")
  void noCoercion() {
    ChatException body = refused(send().put("body", 42), SendMessage.class);
    assertEquals(ErrorCode.INVALID_REQUEST, body.code());
    assertTrue(body.getMessage().contains("'body'"), body.getMessage());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(send().put("body", true), SendMessage.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(send().put("body", new JsonObject()), SendMessage.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(send().put("body", new JsonArray().add("x")), SendMessage.class).code());
    JsonObject history = new JsonObject().put("userId", "alice").put("threadId", THREAD);
    assertEquals(ErrorCode.INVALID_REQUEST, refused(history.copy().put("limit", "5"), History.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(history.copy().put("limit", 1.5), History.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(history.copy().put("afterSeq", -1), History.class).code());
    assertEquals(7L, Bodies.decode(history.copy().put("limit", 7), History.class).limit());
    JsonObject create = new JsonObject().put("userId", "alice").put("title", "T");
    assertEquals(ErrorCode.INVALID_REQUEST, refused(create.copy().put("memberIds", "bob"), CreateThread.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST,
        refused(create.copy().put("memberIds", new JsonArray().add(1)), CreateThread.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused(null, SendMessage.class).code());
    assertEquals(ErrorCode.INVALID_REQUEST, refused("text", SendMessage.class).code());
  }

  @Test
  @DisplayName("Unknown fields are ignored, so a newer sender may add some")
  void unknownFieldsIgnored() {
    assertEquals("hi", Bodies.decode(send().put("attachmentIds", new JsonArray()).put("x", 1), SendMessage.class).body());
    assertNull(Bodies.decode(new JsonObject().put("userId", "a").put("threadId", THREAD), MarkRead.class).lastReadMessageId());
  }

  @Test
  @DisplayName("Instants keep exactly three fractional digits on the wire, even on a whole second")
  void instantsHaveMilliseconds() {
    Instant whole = Instant.parse("2026-12-06T10:00:00Z");
    Message m = new Message("id", THREAD, 1, 1, "alice", "hi", whole, null, null, null, false, null);
    JsonObject json = Bodies.encode(m);
    assertEquals("2026-12-06T10:00:00.000Z", json.getString("createdAt"));
    assertEquals(new JsonArray(), json.getJsonArray("attachments"));
    assertTrue(json.containsKey("clientMessageId"), "null fields are written, as the contract's shapes show them");
    assertEquals(m, Bodies.decode(new JsonObject(json.encode()), Message.class));
    assertEquals("2026-12-06T10:00:00.120Z",
        Bodies.encode(new Message("id", THREAD, 1, 1, "a", "b", whole.plusMillis(120), null, null, null, false, null)).getString("createdAt"));
  }

  @Test
  @DisplayName("A thread summary round-trips through its wire form, members and last message included")
  void summaryRoundTrip() {
    Instant at = Instant.parse("2026-12-06T10:00:00.042Z");
    ThreadSummary t = new ThreadSummary(THREAD, "T", at, at, 1,
        new Message("m", THREAD, 1, 1, "alice", "hi", at, "c", new JsonArray(), null, false, null), 0, true, 1,
        List.of(new Member("alice", "Alice", Member.ADMIN)));
    JsonObject json = Bodies.encode(t);
    assertEquals("admin", json.getJsonArray("members").getJsonObject(0).getString("role"));
    assertEquals(t, Bodies.decode(new JsonObject(json.encode()), ThreadSummary.class));
  }

  @Test
  @DisplayName("Bodies maps exactly as Jackson's convertValue does, both ways, refusals and their messages included")
  void sameAsConvertValue() {
    Instant at = Instant.parse("2026-12-06T10:00:00Z");
    JsonArray attachments = new JsonArray().add(new JsonObject().put("id", "a1").put("size", 5_000_000_000L)
        .put("name", "x.png").put("ratio", 1.5).put("tags", new JsonArray().add("p").addNull()));
    Message m = new Message("m", THREAD, Long.MAX_VALUE, 3, "alice", "hi", at, null, attachments, at.plusMillis(7), true, "bot");
    ThreadSummary t = new ThreadSummary(THREAD, "T", at, at, 1, m, 0, true, 1,
        List.of(new Member("alice", "Alice", Member.ADMIN), new Member("bob", null, Member.MEMBER)));
    for (Object record : List.of(m, t, new SendMessage("alice", THREAD, "hi", "c1"))) {
      assertEquals(Bodies.MAPPER.convertValue(record, java.util.Map.class), Bodies.encode(record).getMap());
      assertEquals(record, Bodies.decode(Bodies.encode(record), record.getClass()));
    }
    JsonObject history = new JsonObject().put("userId", "alice").put("threadId", THREAD);
    List<JsonObject> hostile = List.of(send().put("body", 42), send().put("body", 1.5), send().put("body", new JsonObject()),
        send().put("body", new JsonArray().add("x")), send().putNull("userId"), send().put("attachmentIds", "x"),
        send().put("attachmentIds", new JsonArray().add(new JsonObject())), send().put("deadlineMs", "5"),
        send().put("deadlineMs", 1.5), send().put("deadlineMs", new java.math.BigInteger("99999999999999999999")),
        send().put("deadlineMs", at), history.copy().put("limit", true), send().put("body", "  "));
    for (JsonObject body : hostile) {
      ChatException now = refused(body, SendMessage.class);
      ChatException before = assertThrows(ChatException.class, () -> convertValueAsBefore(body), body::encode);
      assertEquals(before.code(), now.code(), body::encode);
      assertEquals(before.getMessage(), now.getMessage(), body::encode);
    }
  }

  /** How decode mapped a body before it walked the map itself (convertValue, the same error mapping). */
  private static void convertValueAsBefore(JsonObject body) {
    try {
      Bodies.MAPPER.convertValue(body.getMap(), SendMessage.class);
    } catch (IllegalArgumentException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ChatException ce) {
          throw ce;
        }
      }
      if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException j && !j.getPath().isEmpty()) {
        throw Requests.invalid("'" + j.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(java.util.stream.Collectors.joining(".")) + "' has the wrong type or format");
      }
      throw Requests.invalid("The body is malformed");
    }
  }
}
