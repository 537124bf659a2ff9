package chat.messaging;

import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import io.vertx.core.Future;
import java.util.List;

/**
 * Threads, members and messages. Every method returns a future that fails only with a
 * {@link chat.shared.ChatException}: {@code thread_not_found}, {@code not_member},
 * {@code forbidden} as documented per method, and {@code unavailable} when the store cannot be
 * reached (nothing is half-written: each write is atomic). Thread ids are lower-case UUID text.
 */
public interface MessageStore {

  /**
   * A message to send; {@code clientMessageId} may be null (no idempotency). {@code deadlineMs} (epoch ms)
   * is when its caller stops waiting: not started by then, it is never started.
   */
  record NewMessage(String threadId, String authorId, String body, String clientMessageId, long deadlineMs) {
    public NewMessage(String threadId, String authorId, String body, String clientMessageId) {
      this(threadId, authorId, body, clientMessageId, Long.MAX_VALUE);
    }
  }

  /**
   * The result of a send: {@code created} is false when the same author already sent the same
   * {@code clientMessageId} in the thread (then {@code message} is that first message and
   * {@code memberIds} is empty, as nothing happened).
   */
  record Sent(Message message, boolean created, List<String> memberIds) {}

  /** A history request: {@code afterSeq}/{@code beforeSeq} are exclusive bounds, null when absent. */
  record HistoryQuery(String threadId, String userId, Long afterSeq, Long beforeSeq, int limit) {}

  /** A page of history, oldest first; {@code hasMore} says more exist in the paging direction. */
  record Page(List<Message> messages, boolean hasMore) {}

  /**
   * The result of adding a member: {@code added} is false when they already were one;
   * {@code callerView} is the thread as the caller sees it, {@code memberView} as the new member
   * sees it (their read marker starts at 0, so the whole history is unread).
   */
  record Added(boolean added, ThreadSummary callerView, ThreadSummary memberView) {}

  /**
   * Creates the user, or changes their display name when {@code name} is given and differs. A null
   * {@code name} never overwrites an existing one; a new user without a name is named after their id.
   */
  Future<Void> upsertUser(String userId, String name);

  /**
   * Creates a thread in one transaction: the creator is {@code admin}, every other id in
   * {@code memberIds} a {@code member}; ids without a user row get a placeholder user named after
   * the id. Returns the summary (no messages, unread 0).
   */
  Future<ThreadSummary> createThread(String creatorId, String title, List<String> memberIds);

  /** The user's threads, newest activity ({@code updatedAt}) first, at most {@code limit}. */
  Future<List<ThreadSummary>> listThreads(String userId, int limit);

  /**
   * Adds {@code memberId} (a placeholder user is created if unknown). Fails {@code thread_not_found},
   * {@code not_member} (the caller is not in the thread) or {@code forbidden} (the caller is not an admin).
   */
  Future<Added> addMember(String callerId, String threadId, String memberId);

  /**
   * Removes {@code memberId}; admins may remove anyone and anyone may remove themselves. Returns
   * whether a membership was removed (removing a non-member is a successful no-op). Fails
   * {@code thread_not_found}, {@code not_member} or {@code forbidden} when removing someone else.
   */
  Future<Boolean> removeMember(String callerId, String threadId, String memberId);

  /** The user's role in the thread; fails {@code thread_not_found} or {@code not_member}. */
  Future<String> memberRole(String threadId, String userId);

  /**
   * Sends atomically: the message gets the thread's next seq (gap-free from 1), the thread's
   * {@code lastSeq}/{@code updatedAt} move, and the author's read marker moves to it (never back).
   * A failed send changes nothing. Idempotent per (thread, author, clientMessageId), also under
   * concurrent duplicates. Fails {@code thread_not_found} or {@code not_member}; {@code unavailable} only
   * when nothing was written; {@code send_outcome_unknown} when the statement went out but its answer did
   * not come back (in time).
   */
  Future<Sent> send(NewMessage message);

  /** Sends committed after their caller was answered {@code send_outcome_unknown} (to announce them all the same). */
  default void onLateCommit(java.util.function.Consumer<Sent> handler) {}

  /** A page of history for a member; fails {@code thread_not_found} or {@code not_member}. */
  Future<Page> history(HistoryQuery query);
}
