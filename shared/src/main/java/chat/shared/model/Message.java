package chat.shared.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A committed message. {@code seq} is gap-free per thread starting at 1; {@code createdAt} is
 * rendered as ISO-8601 UTC with milliseconds.
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

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("threadId", threadId)
        .put("seq", seq)
        .put("authorId", authorId)
        .put("body", body)
        .put("createdAt", Timestamps.format(createdAt))
        .put("clientMessageId", clientMessageId)
        .put("attachments", attachments == null ? new JsonArray() : attachments);
  }

  public static Message fromJson(JsonObject j) {
    return new Message(
        j.getString("id"),
        j.getString("threadId"),
        j.getLong("seq"),
        j.getString("authorId"),
        j.getString("body"),
        Timestamps.parse(j.getString("createdAt")),
        j.getString("clientMessageId"),
        j.getJsonArray("attachments", new JsonArray()));
  }
}
