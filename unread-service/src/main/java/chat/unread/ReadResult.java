package chat.unread;

import chat.shared.model.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A member's read marker after a mark-read. {@code moved} says whether this call moved it;
 * {@code unread} is the member's unread in the thread and {@code total} over all their threads.
 * {@code lastReadAt} is null only for a member who never read the thread and has not sent to it.
 */
public record ReadResult(long lastReadSeq, long unread, Instant lastReadAt, boolean moved, long total) {

  /** The reply of {@code unread.mark-read}: {@code {lastReadSeq,unread,lastReadAt}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("lastReadSeq", lastReadSeq)
        .put("unread", unread)
        .put("lastReadAt", Timestamps.format(lastReadAt));
  }
}
