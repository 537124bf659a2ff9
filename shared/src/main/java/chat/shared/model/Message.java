package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A committed message. {@code seq} is gap-free per thread starting at 1 and fixed at creation;
 * {@code version} is the thread's change counter (bumped by one per send, edit and delete) at the
 * message's latest change. {@code createdAt} and {@code editedAt} (null until edited) are rendered as
 * ISO-8601 UTC with milliseconds; {@code attachments} is never null. A deleted message is a tombstone:
 * {@code deleted}, an empty body, no attachments, its seq kept. {@code via} is null, or the name of the
 * service that sent it for its author (a {@code chat.api.v1.} send).
 */
public record Message(
    String id,
    String threadId,
    long seq,
    long version,
    String authorId,
    String body,
    Instant createdAt,
    String clientMessageId,
    JsonArray attachments,
    Instant editedAt,
    boolean deleted,
    String via) {

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
