package chat.unread;

import chat.shared.model.Receipt;
import chat.shared.protocol.Unread.Badge;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Read markers, unread counts and receipts.
 *
 * <p>Unread is always derived, never counted: for a member of a thread it is the SQL function
 * {@code unread_count} (messaging migration V5) of the thread's row (its last {@code seq} and the seqs of its
 * deleted messages) and the member's read marker ({@code last_read_seq}), defined there only: the
 * messages above the marker that are not deleted. A send moves its author's marker
 * to the new message in the same statement, so one's own messages are never unread. Every value a
 * method returns was read from the store by that call, so it is exact as of that call.
 *
 * <p>Failures are {@link chat.shared.ChatException}s: {@code thread_not_found}, {@code not_member},
 * {@code invalid_request}, or {@code unavailable} when the store cannot be reached.
 */
public interface UnreadStore {

  /**
   * Moves {@code userId}'s read marker in {@code threadId} forward to {@code lastReadMessageId}, or to
   * the thread's newest message when it is null. The marker never moves backwards: a read to an older
   * message (or to the message already marked) changes nothing and reports {@code moved = false}
   * with the current marker. Concurrent reads of the same member are serialised; the highest wins.
   *
   * @return the marker after the call, the member's unread count in the thread and their total
   *     unread over all their threads
   * @throws chat.shared.ChatException {@code thread_not_found} if the thread does not exist;
   *     {@code not_member} if the user is not a member (no membership is ever created here);
   *     {@code invalid_request} if {@code lastReadMessageId} is not a message of that thread
   */
  Future<ReadResult> markRead(String userId, String threadId, UUID lastReadMessageId);

  /**
   * The user's badge in one query whose cost grows with the number of the user's threads, not with
   * the number of messages. {@code byThread} lists only threads with unread > 0, in no particular
   * order: a thread of the user that is not listed has 0 unread. {@code total} is their sum.
   */
  Future<Badge> badge(String userId);

  /**
   * Unread counts for a batch of (user, thread) pairs in one query: for each pair whose user is a
   * member of the thread, the pair's unread and the user's total over all their threads. Pairs whose
   * user is not (or no longer) a member, or whose thread is gone, are left out. Duplicate pairs are
   * answered once.
   */
  Future<List<PairUnread>> unreadFor(Collection<UserThread> pairs);

  /**
   * Every member's read marker in the thread ("Seen by"), ordered by user id; a message with seq s
   * is seen by the members whose {@code lastReadSeq >= s}. Only members may ask.
   *
   * @throws chat.shared.ChatException {@code thread_not_found}, {@code not_member}
   */
  Future<List<Receipt>> receipts(String userId, String threadId);
}
