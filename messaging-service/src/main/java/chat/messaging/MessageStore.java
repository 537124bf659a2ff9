package chat.messaging;

import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import chat.shared.protocol.Messaging.MemberCursor;
import chat.shared.protocol.Messaging.MemberPage;
import chat.shared.protocol.Messaging.ThreadCursor;
import chat.shared.protocol.Messaging.ThreadList;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Threads, members and messages. Every method returns a future that fails only with a
 * {@link chat.shared.ChatException}: {@code thread_not_found}, {@code not_member},
 * {@code forbidden} as documented per method, and {@code unavailable} when the store cannot be
 * reached (nothing is half-written: each write is atomic). Thread ids are lower-case UUID text.
 */
public interface MessageStore {

  /**
   * A message to send; {@code clientMessageId} may be null (no idempotency), {@code via} is null unless a
   * service sends it for its author. {@code deadlineMs} (epoch ms) is when its caller stops waiting: not
   * started by then, it is never started. {@code attachmentIds} (never null) the author's unsent uploads to the thread.
   */
  record NewMessage(String threadId, String authorId, String body, String clientMessageId, String via,
                    long deadlineMs, List<String> attachmentIds) {
    public NewMessage {
      attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    public NewMessage(String threadId, String authorId, String body, String clientMessageId, String via) {
      this(threadId, authorId, body, clientMessageId, via, Long.MAX_VALUE, List.of());
    }
  }

  /**
   * The result of a send: {@code created} is false when the same author already sent the same
   * {@code clientMessageId} in the thread (then {@code message} is that first message and
   * {@code memberIds} is empty, as nothing happened). {@code authorHadUnread}: the author's marker was
   * below the previous message, so the send (which moved it) may have lowered their own unread.
   */
  record Sent(Message message, boolean created, List<String> memberIds, boolean authorHadUnread) {}

  /**
   * A history request: {@code afterSeq}/{@code beforeSeq} are exclusive bounds, null when absent;
   * {@code changedAfter} (exclusive, null when absent) asks for changes by version instead.
   */
  record HistoryQuery(String threadId, String userId, Long afterSeq, Long beforeSeq, int limit, Long changedAfter) {
    HistoryQuery(String threadId, String userId, Long afterSeq, Long beforeSeq, int limit) {
      this(threadId, userId, afterSeq, beforeSeq, limit, null);
    }
  }

  /**
   * The result of an edit or a delete: the message as it is now (a tombstone after a delete). When
   * {@code changed} is false nothing happened (the same body again, or already deleted) and the lists
   * are empty. {@code newest} says it is the thread's newest message (the one thread lists preview);
   * {@code unreadBy} are, for a delete, the members who had not read it (their unread fell).
   */
  record Changed(Message message, boolean changed, List<String> memberIds, boolean newest, List<String> unreadBy) {
    static Changed nothing(Message message) {
      return new Changed(message, false, List.of(), false, List.of());
    }
  }

  /**
   * A page of history, oldest first (by version for {@code changedAfter}); {@code hasMore} says more
   * exist in the paging direction.
   */
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

  /**
   * A page of the user's threads, newest activity ({@code updatedAt}) first, at most {@code limit} after
   * {@code after} (null: the first page); each summary with its member count and first
   * {@link ThreadSummary#MAX_MEMBERS} members. The pages of one listing (one first page and the cursors
   * that follow from it) hold every thread the user had at the first page exactly once, however active the
   * threads are meanwhile: a thread keeps the place it had then.
   */
  Future<ThreadList> listThreads(String userId, int limit, ThreadCursor after);

  /** The result of a rename: the thread as each member sees it, by member id. */
  record Renamed(Map<String, ThreadSummary> byMember) {}

  /**
   * An admin renames the thread (its activity time does not move). Fails {@code thread_not_found},
   * {@code not_member} or {@code forbidden} (not an admin).
   */
  Future<Renamed> renameThread(String callerId, String threadId, String title);

  /**
   * An admin sets {@code memberId}'s role; {@code changed} is false when it already was that. A thread
   * keeps at least one admin: demoting the last one fails {@code forbidden}. Fails {@code thread_not_found},
   * {@code not_member} (the caller), {@code forbidden} (not an admin) or {@code invalid_request}
   * ({@code memberId} is not a member).
   */
  Future<Boolean> changeRole(String callerId, String threadId, String memberId, String role);

  /**
   * The member's own mute; returns the thread as they now see it. Fails {@code thread_not_found} or
   * {@code not_member}.
   */
  Future<ThreadSummary> setMute(String userId, String threadId, boolean muted);

  /**
   * The result of a removal: {@code removed} is false when they were not a member; {@code promoted} is the
   * member who became admin because the last admin left (null otherwise).
   */
  record Removal(boolean removed, String promoted) {}

  /** One thread as its member {@code userId} sees it; fails {@code thread_not_found} or {@code not_member}. */
  Future<ThreadSummary> thread(String userId, String threadId);

  /**
   * Adds {@code memberId} (a placeholder user is created if unknown). Fails {@code thread_not_found},
   * {@code not_member} (the caller is not in the thread), {@code forbidden} (the caller is not an admin)
   * or {@code thread_full} (the thread already has {@code maxMembers}; exact under concurrent adds).
   */
  Future<Added> addMember(String callerId, String threadId, String memberId, int maxMembers);

  /**
   * A page of the thread's members for one of them ({@code userId}), admins first, then by user id, at
   * most {@code limit} after {@code after} (null: from the first); fails {@code thread_not_found} or
   * {@code not_member}.
   */
  Future<MemberPage> members(String threadId, String userId, int limit, MemberCursor after);

  /**
   * Removes {@code memberId}; admins may remove anyone and anyone may remove themselves (removing a
   * non-member is a successful no-op). When the last admin goes and members remain, the longest-standing
   * member (earliest to join, then by id) becomes admin in the same transaction, so a thread with members
   * always has an admin. Fails {@code thread_not_found}, {@code not_member} or {@code forbidden} when
   * removing someone else.
   */
  Future<Removal> removeMember(String callerId, String threadId, String memberId);

  /** The user's role in the thread; fails {@code thread_not_found} or {@code not_member}. */
  Future<String> memberRole(String threadId, String userId);

  /**
   * Sends atomically: the message gets the thread's next seq (gap-free from 1), the thread's
   * {@code lastSeq}/{@code updatedAt} move, and the author's read marker moves to it (never back).
   * A failed send changes nothing. Idempotent per (thread, author, clientMessageId), also under
   * concurrent duplicates. Fails {@code thread_not_found} or {@code not_member}; {@code unavailable} only
   * when nothing was written; {@code send_outcome_unknown} when the statement went out but its answer did
   * not come back (in time). With attachments, they are tied to the message in the same transaction, all or
   * none: {@code invalid_request} when any is not an unsent upload of the author to this thread.
   */
  Future<Sent> send(NewMessage message);

  /** Sends committed after their caller was answered {@code send_outcome_unknown} (to announce them all the same). */
  default void onLateCommit(java.util.function.Consumer<Sent> handler) {}

  /**
   * A page of history for a member; fails {@code thread_not_found} or {@code not_member}. With
   * {@code changedAfter}: every message whose latest change (send, edit, delete) has a version above it,
   * in version order, so applying the pages in order reproduces the store's state.
   */
  Future<Page> history(HistoryQuery query);

  /**
   * The author replaces a message's body: the thread's next version, {@code editedAt} now. The same body
   * again changes nothing. Fails {@code thread_not_found}, {@code not_member}, {@code message_not_found}
   * (also for a deleted message) or {@code forbidden} (not the author).
   */
  Future<Changed> edit(String userId, String threadId, String messageId, String body);

  /**
   * The author or an admin deletes a message: the thread's next version, a tombstone (empty body, no
   * attachments, seq kept), and it stops counting as unread; its attachments are marked deleted in the same
   * transaction (their bytes are removed by the sweep). Deleting a tombstone changes nothing.
   * Fails {@code thread_not_found}, {@code not_member}, {@code message_not_found} or {@code forbidden}.
   */
  Future<Changed> delete(String userId, String threadId, String messageId);
}
