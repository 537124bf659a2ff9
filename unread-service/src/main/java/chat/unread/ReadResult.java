package chat.unread;

import chat.shared.protocol.Unread.ReadMarked;
import java.time.Instant;

/**
 * A member's read marker after a mark-read. {@code moved} says whether this call moved it;
 * {@code unread} is the member's unread in the thread and {@code total} over all their threads.
 * {@code lastReadAt} is null only for a member who never read the thread and has not sent to it.
 */
public record ReadResult(long lastReadSeq, long unread, Instant lastReadAt, boolean moved, long total) {

  /** The reply of {@code unread.mark-read}. */
  public ReadMarked toReply() {
    return new ReadMarked(lastReadSeq, unread, lastReadAt);
  }
}
