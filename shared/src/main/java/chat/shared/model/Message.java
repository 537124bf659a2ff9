package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A committed message. {@code seq} is gap-free per thread starting at 1; {@code createdAt} is
 * rendered as ISO-8601 UTC with milliseconds; {@code attachments} is never null.
 */
public record Message(
    String id,
    String threadId,
    long seq,
    String authorId,
    String body,
    Instant createdAt,
    String clientMessageId,
    JsonArray attachments) {

  public Message {
    attachments = attachments == null ? new JsonArray() : attachments;
  }

  public JsonObject toJson() {
    return Bodies.encode(this);
  }

  public static Message fromJson(JsonObject j) {
    return Bodies.decode(j, Message.class);
  }
}
