package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A committed message. {@code seq} is gap-free per thread starting at 1; {@code createdAt} is
 * rendered as ISO-8601 UTC with milliseconds; {@code attachments} is never null; {@code via} is null, or
 * the name of the service that sent it for its author (a {@code chat.api.v1.} send).
 */
public record Message(
    String id,
    String threadId,
    long seq,
    String authorId,
    String body,
    Instant createdAt,
    String clientMessageId,
    JsonArray attachments,
    String via) {

  public Message {
    attachments = attachments == null ? new JsonArray() : attachments;
  }

  /** A message sent by its author directly (no {@code via}). */
  public Message(String id, String threadId, long seq, String authorId, String body, Instant createdAt,
      String clientMessageId, JsonArray attachments) {
    this(id, threadId, seq, authorId, body, createdAt, clientMessageId, attachments, null);
  }

  public JsonObject toJson() {
    return Bodies.encode(this);
  }

  public static Message fromJson(JsonObject j) {
    return Bodies.decode(j, Message.class);
  }
}
