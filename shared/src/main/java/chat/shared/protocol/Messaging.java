package chat.shared.protocol;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;
import chat.shared.bus.Topic;
import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import java.util.List;

/**
 * messaging-service's requests, replies and events. Every request names the caller in {@code userId},
 * stamped by the gateway from the authenticated token. A record's constructor is its validation:
 * decoding a body that breaks a rule fails with the catalogue's error, so handlers only see valid records.
 */
public final class Messaging {
  public static final int DEFAULT_LIST_LIMIT = 100;
  public static final int MAX_LIST_LIMIT = 500;
  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 200;

  private Messaging() {}

  public static final Endpoint<UpsertUser, UserUpserted> USER_UPSERT =
      Endpoint.of(Addresses.USER_UPSERT, UpsertUser.class, UserUpserted.class);
  public static final Endpoint<CreateThread, ThreadSummary> THREAD_CREATE =
      Endpoint.of(Addresses.THREAD_CREATE, CreateThread.class, ThreadSummary.class);
  public static final Endpoint<ListThreads, ThreadList> THREAD_LIST =
      Endpoint.of(Addresses.THREAD_LIST, ListThreads.class, ThreadList.class);
  public static final Endpoint<ChangeMember, MemberAdded> MEMBER_ADD =
      Endpoint.of(Addresses.MEMBER_ADD, ChangeMember.class, MemberAdded.class);
  public static final Endpoint<ChangeMember, MemberRemoval> MEMBER_REMOVE =
      Endpoint.of(Addresses.MEMBER_REMOVE, ChangeMember.class, MemberRemoval.class);
  public static final Endpoint<CheckMember, Role> MEMBER_CHECK =
      Endpoint.of(Addresses.MEMBER_CHECK, CheckMember.class, Role.class);
  public static final Endpoint<SendMessage, SendResult> MESSAGE_SEND =
      Endpoint.of(Addresses.MESSAGE_SEND, SendMessage.class, SendResult.class);
  public static final Endpoint<History, HistoryPage> MESSAGE_HISTORY =
      Endpoint.of(Addresses.MESSAGE_HISTORY, History.class, HistoryPage.class);

  /** Sent to unread-service after each new message (the members' badges change). */
  public static final Topic<MessageSent> MESSAGE_SENT_UNREAD =
      Topic.of(Addresses.EVENT_MESSAGE_SENT_UNREAD, MessageSent.class);
  /** Sent to presence-service after each new message (the author stopped typing); {@code memberIds} empty. */
  public static final Topic<MessageSent> MESSAGE_SENT_PRESENCE =
      Topic.of(Addresses.EVENT_MESSAGE_SENT_PRESENCE, MessageSent.class);
  /** Published after a removal: presence drops the member (gateways are asked directly, see Gateway#revoke). */
  public static final Topic<MemberRemoved> MEMBER_REMOVED =
      Topic.of(Addresses.EVENT_MEMBER_REMOVED, MemberRemoved.class);

  /** Creates the user, or renames them when a non-blank {@code name} differs. */
  public record UpsertUser(String userId, String name) {
    public UpsertUser {
      userId = Requests.userId(userId, "userId");
      name = Requests.optionalName(name, "name");
    }
  }

  public record UserUpserted(String userId) {}

  /** The caller becomes the admin; {@code memberIds} are distinct, at most 500, the caller included. */
  public record CreateThread(String userId, String title, List<String> memberIds) {
    public CreateThread {
      userId = Requests.userId(userId, "userId");
      title = Requests.title(title, "title");
      memberIds = Requests.userIds(memberIds, "memberIds");
    }
  }

  /** The caller's threads, newest activity first; {@code limit} 1-500, default 100. */
  public record ListThreads(String userId, Long limit) {
    public ListThreads {
      userId = Requests.userId(userId, "userId");
      limit = Requests.range(limit, "limit", 1, MAX_LIST_LIMIT);
    }

    public int pageSize() {
      return limit == null ? DEFAULT_LIST_LIMIT : limit.intValue();
    }
  }

  public record ThreadList(List<ThreadSummary> threads) {}

  /** The caller ({@code userId}) adds or removes {@code memberId}. */
  public record ChangeMember(String userId, String threadId, String memberId) {
    public ChangeMember {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      memberId = Requests.userId(memberId, "memberId");
    }
  }

  /** {@code added} is false when they already were a member; {@code thread} as the caller sees it. */
  public record MemberAdded(boolean added, ThreadSummary thread) {}

  /** {@code removed} is false when they were not a member. */
  public record MemberRemoval(boolean removed) {}

  public record CheckMember(String userId, String threadId) {
    public CheckMember {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** The member's role: {@code admin} or {@code member}. */
  public record Role(String role) {}

  /**
   * A send: the body trimmed, 1-4,000 characters; {@code clientMessageId} optional, for idempotency.
   * {@code deadlineMs} (epoch ms, optional: older gateways leave it out) is when the caller stops waiting:
   * a send not started by then is never started and fails {@code unavailable}.
   */
  public record SendMessage(String userId, String threadId, String body, String clientMessageId, Long deadlineMs) {
    public SendMessage {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      body = Requests.messageBody(body, "body");
      clientMessageId = Requests.optionalClientMessageId(clientMessageId, "clientMessageId");
      deadlineMs = Requests.range(deadlineMs, "deadlineMs", 0, Long.MAX_VALUE);
    }

    public SendMessage(String userId, String threadId, String body, String clientMessageId) {
      this(userId, threadId, body, clientMessageId, null);
    }

    /** The same send with the caller's deadline (stamped by the gateway over anything a client wrote). */
    public SendMessage withDeadline(long deadlineMs) {
      return new SendMessage(userId, threadId, body, clientMessageId, deadlineMs);
    }
  }

  /** {@code created} is false for an idempotent replay (then {@code message} is the first one). */
  public record SendResult(Message message, boolean created) {}

  /** A history page: exclusive seq bounds (non-negative), {@code limit} 1-200, default 50. */
  public record History(String userId, String threadId, Long beforeSeq, Long afterSeq, Long limit) {
    public History {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      beforeSeq = Requests.range(beforeSeq, "beforeSeq", 0, Long.MAX_VALUE);
      afterSeq = Requests.range(afterSeq, "afterSeq", 0, Long.MAX_VALUE);
      limit = Requests.range(limit, "limit", 1, MAX_HISTORY_LIMIT);
    }

    public int pageSize() {
      return limit == null ? DEFAULT_HISTORY_LIMIT : limit.intValue();
    }
  }

  /** Oldest first; {@code hasMore} says more exist in the paging direction. */
  public record HistoryPage(List<Message> messages, boolean hasMore) {}

  /** A message was committed: {@code memberIds} are the thread's members at that moment. */
  public record MessageSent(String threadId, String authorId, long seq, String messageId, List<String> memberIds) {
    public MessageSent {
      threadId = Requests.threadId(threadId, "threadId");
      authorId = Requests.userId(authorId, "authorId");
      memberIds = memberIds == null ? List.of() : List.copyOf(memberIds);
    }
  }

  /** A member left or was removed from a thread. */
  public record MemberRemoved(String threadId, String userId) {
    public MemberRemoved {
      threadId = Requests.threadId(threadId, "threadId");
      userId = Requests.userId(userId, "userId");
    }
  }
}
