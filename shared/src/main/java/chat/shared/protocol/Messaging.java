package chat.shared.protocol;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;
import chat.shared.bus.Topic;
import chat.shared.model.Member;
import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
  public static final int DEFAULT_MEMBER_LIMIT = 100;
  public static final int MAX_MEMBER_LIMIT = 500;

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
  public static final Endpoint<ListMembers, MemberPage> MEMBER_LIST =
      Endpoint.of(Addresses.MEMBER_LIST, ListMembers.class, MemberPage.class);
  public static final Endpoint<RenameThread, ThreadSummary> THREAD_RENAME =
      Endpoint.of(Addresses.THREAD_RENAME, RenameThread.class, ThreadSummary.class);
  public static final Endpoint<ChangeRole, RoleChanged> MEMBER_ROLE =
      Endpoint.of(Addresses.MEMBER_ROLE, ChangeRole.class, RoleChanged.class);
  public static final Endpoint<SetMute, MuteSet> THREAD_MUTE =
      Endpoint.of(Addresses.THREAD_MUTE, SetMute.class, MuteSet.class);
  public static final Endpoint<SendMessage, SendResult> MESSAGE_SEND =
      Endpoint.of(Addresses.MESSAGE_SEND, SendMessage.class, SendResult.class);
  public static final Endpoint<History, HistoryPage> MESSAGE_HISTORY =
      Endpoint.of(Addresses.MESSAGE_HISTORY, History.class, HistoryPage.class);
  public static final Endpoint<EditMessage, Edited> MESSAGE_EDIT =
      Endpoint.of(Addresses.MESSAGE_EDIT, EditMessage.class, Edited.class);
  public static final Endpoint<DeleteMessage, Deleted> MESSAGE_DELETE =
      Endpoint.of(Addresses.MESSAGE_DELETE, DeleteMessage.class, Deleted.class);

  public static final Endpoint<CreateAttachment, Attachment> ATTACHMENT_CREATE =
      Endpoint.of(Addresses.ATTACHMENT_CREATE, CreateAttachment.class, Attachment.class);
  public static final Endpoint<GetAttachment, Attachment> ATTACHMENT_GET =
      Endpoint.of(Addresses.ATTACHMENT_GET, GetAttachment.class, Attachment.class);
  public static final Endpoint<SweepAttachments, Doomed> ATTACHMENT_SWEEP =
      Endpoint.of(Addresses.ATTACHMENT_SWEEP, SweepAttachments.class, Doomed.class);
  public static final Endpoint<PurgedAttachments, Purged> ATTACHMENT_PURGED =
      Endpoint.of(Addresses.ATTACHMENT_PURGED, PurgedAttachments.class, Purged.class);

  /** Sent to unread-service after each new message (the members' badges change). */
  public static final Topic<MessageSent> MESSAGE_SENT_UNREAD =
      Topic.of(Addresses.EVENT_MESSAGE_SENT_UNREAD, MessageSent.class);
  /** Sent to presence-service after each new message (the author stopped typing); {@code memberIds} empty. */
  public static final Topic<MessageSent> MESSAGE_SENT_PRESENCE =
      Topic.of(Addresses.EVENT_MESSAGE_SENT_PRESENCE, MessageSent.class);
  /** Sent to unread-service after a delete (the badges of those who had not read it fall). */
  public static final Topic<MessageDeleted> MESSAGE_DELETED_UNREAD =
      Topic.of(Addresses.EVENT_MESSAGE_DELETED_UNREAD, MessageDeleted.class);
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

  /**
   * The caller's threads, newest activity first; {@code limit} 1-500, default 100; {@code cursor} a
   * previous page's {@code nextCursor} (opaque to clients; absent: the first page).
   */
  public record ListThreads(String userId, Long limit, String cursor) {
    public ListThreads {
      userId = Requests.userId(userId, "userId");
      limit = Requests.range(limit, "limit", 1, MAX_LIST_LIMIT);
      if (cursor != null) {
        ThreadCursor.decode(cursor);
      }
    }

    /** The first page (what callers older than paging asked for). */
    public int pageSize() {
      return limit == null ? DEFAULT_LIST_LIMIT : limit.intValue();
    }

    /** Where the page starts, or null for the first page. */
    public ThreadCursor after() {
      return cursor == null ? null : ThreadCursor.decode(cursor);
    }
  }

  /** {@code nextCursor} is null on the last page (and in replies of nodes older than paging). */
  public record ThreadList(List<ThreadSummary> threads, String nextCursor) {
  }

  /**
   * A position in a user's thread list, as the opaque text clients pass back: the list as it stood at
   * {@code asOfMicros} (the first page's time, epoch microseconds), after the thread {@code id} whose last
   * activity then was {@code atMicros}. Threads active since are placed where they stood then, so paging
   * neither repeats nor skips a thread (their news arrives as events).
   */
  public record ThreadCursor(long asOfMicros, long atMicros, String id) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public String encode() {
      return ENCODER.encodeToString((asOfMicros + ":" + atMicros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static ThreadCursor decode(String text) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", -1);
        if (parts.length == 3 && Requests.isUuid(parts[2])) {
          return new ThreadCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        }
      } catch (RuntimeException e) {
        // falls through: not a cursor this service made
      }
      throw Requests.invalid("'cursor' is not a cursor from a previous page");
    }
  }

  /** An admin ({@code userId}) renames a thread; the title's rules are a new thread's. */
  public record RenameThread(String userId, String threadId, String title) {
    public RenameThread {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      title = Requests.title(title, "title");
    }
  }

  /** An admin ({@code userId}) gives {@code memberId} the {@code role} {@code admin} or {@code member}. */
  public record ChangeRole(String userId, String threadId, String memberId, String role) {
    public ChangeRole {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      memberId = Requests.userId(memberId, "memberId");
      role = Requests.required(role, "role");
      if (!role.equals(Member.ADMIN) && !role.equals(Member.MEMBER)) {
        throw Requests.invalid("'role' must be \"admin\" or \"member\"");
      }
    }
  }

  /** The member's role now; {@code changed} is false when it already was that. */
  public record RoleChanged(String userId, String role, boolean changed) {}

  /** A member ({@code userId}) mutes or unmutes a thread for themselves, on every device. */
  public record SetMute(String userId, String threadId, Boolean muted) {
    public SetMute {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      muted = Requests.required(muted, "muted");
    }
  }

  public record MuteSet(boolean muted) {}

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

  /**
   * {@code removed} is false when they were not a member. {@code promoted} is the member who became admin
   * because the last admin left (null otherwise; absent in replies of older nodes).
   */
  public record MemberRemoval(boolean removed, String promoted) {
    public MemberRemoval(boolean removed) {
      this(removed, null);
    }
  }

  public record CheckMember(String userId, String threadId) {
    public CheckMember {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** The member's role: {@code admin} or {@code member}. */
  public record Role(String role) {}

  /**
   * A page of a thread's members for one of them, admins first, then by user id: at most {@code limit}
   * (1-500, default 100) after {@code cursor} (a previous page's {@code nextCursor}; opaque to clients).
   */
  public record ListMembers(String userId, String threadId, Long limit, String cursor) {
    public ListMembers {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      limit = Requests.range(limit, "limit", 1, MAX_MEMBER_LIMIT);
      if (cursor != null) {
        MemberCursor.decode(cursor);
      }
    }

    public int pageSize() {
      return limit == null ? DEFAULT_MEMBER_LIMIT : limit.intValue();
    }

    /** The position after which the page starts, or null for the first page. */
    public MemberCursor after() {
      return cursor == null ? null : MemberCursor.decode(cursor);
    }
  }

  /** {@code nextCursor} is null on the last page. */
  public record MemberPage(List<Member> members, String nextCursor) {}

  /** A position in the members order (role, then user id), as the opaque text clients pass back. */
  public record MemberCursor(String role, String userId) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public static MemberCursor of(Member m) {
      return new MemberCursor(m.role(), m.userId());
    }

    public String encode() {
      return ENCODER.encodeToString((role + ":" + userId).getBytes(StandardCharsets.UTF_8));
    }

    public static MemberCursor decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int colon = plain.indexOf(':');
        String role = plain.substring(0, colon);
        String userId = plain.substring(colon + 1);
        if ((role.equals(Member.ADMIN) || role.equals(Member.MEMBER)) && Requests.isUserId(userId)) {
          return new MemberCursor(role, userId);
        }
      } catch (RuntimeException e) {
        // falls through: not a cursor this service made
      }
      throw Requests.invalid("'cursor' is not a cursor from a previous page");
    }
  }

  /**
   * A send: the body trimmed, 1-4,000 characters (may be empty with attachments); {@code clientMessageId}
   * optional, for idempotency; {@code via} the service that sends for the author (null for the gateway's
   * sends). {@code deadlineMs} (epoch ms, optional: older gateways leave it out) is when the caller stops
   * waiting: a send not started by then is never started and fails {@code unavailable}. {@code attachmentIds}
   * (never null, at most 10) uploads of the author to this thread not sent yet; a node of the previous release
   * ignores them (see docs/attachments.md).
   */
  public record SendMessage(String userId, String threadId, String body, String clientMessageId, String via,
                            Long deadlineMs, List<String> attachmentIds) {
    public SendMessage {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      attachmentIds = Requests.attachmentIds(attachmentIds, "attachmentIds");
      body = Requests.messageBody(body, "body", !attachmentIds.isEmpty());
      clientMessageId = Requests.optionalClientMessageId(clientMessageId, "clientMessageId");
      via = via == null ? null : Requests.serviceName(via, "via");
      deadlineMs = Requests.range(deadlineMs, "deadlineMs", 0, Long.MAX_VALUE);
    }

    /** A send by the author themselves (no {@code via}), without a deadline or attachments. */
    public SendMessage(String userId, String threadId, String body, String clientMessageId) {
      this(userId, threadId, body, clientMessageId, null, null, List.of());
    }

    /** A send for the author by the service {@code via}, without a deadline or attachments. */
    public SendMessage(String userId, String threadId, String body, String clientMessageId, String via) {
      this(userId, threadId, body, clientMessageId, via, null, List.of());
    }

    /** The same send with the caller's deadline (stamped by the gateway over anything a client wrote). */
    public SendMessage withDeadline(long deadlineMs) {
      return new SendMessage(userId, threadId, body, clientMessageId, via, deadlineMs, attachmentIds);
    }
  }

  /**
   * An upload whose bytes are stored under {@code storageKey}: recorded for its uploader ({@code userId}, a
   * member of the thread), unsent. Fails {@code rate_limited} over the uploader's unsent cap or bytes per day.
   */
  public record CreateAttachment(String userId, String threadId, String attachmentId, String name, String contentType,
                                 long size, String storageKey) {
    public CreateAttachment {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      attachmentId = Requests.uuid(attachmentId, "attachmentId").toString();
      name = Requests.fileName(name);
      contentType = Requests.required(contentType, "contentType");
      storageKey = Requests.opaqueId(storageKey, "storageKey", 200);
      if (size < 0) {
        throw Requests.invalid("'size' must not be negative");
      }
    }
  }

  /**
   * An attachment's record; {@code userId} null reads it for a signed link (no membership check), otherwise
   * only a member of its thread may. A deleted one is {@code not_found}.
   */
  public record GetAttachment(String attachmentId, String userId) {
    public GetAttachment {
      attachmentId = Requests.uuid(attachmentId, "attachmentId").toString();
      userId = userId == null ? null : Requests.userId(userId, "userId");
    }
  }

  /** An attachment as messaging keeps it; {@code messageId} null until sent. Clients see {@link #toClient}. */
  public record Attachment(String id, String threadId, String uploaderId, String name, String contentType, long size,
                           String storageKey, String messageId) {
    /** The client shape without {@code url} (the gateway adds it). */
    public io.vertx.core.json.JsonObject toClient() {
      return new io.vertx.core.json.JsonObject().put("id", id).put("name", name).put("contentType", contentType)
          .put("size", size);
    }
  }

  /** Marks unsent uploads older than {@code maxAgeSeconds} deleted; asks for up to {@code limit} files to remove. */
  public record SweepAttachments(long maxAgeSeconds, int limit) {}

  /** Files whose bytes are to be removed: deleted attachments whose bytes are still stored. */
  public record Doomed(List<Attachment> attachments) {}

  /** The bytes of these attachments are gone. */
  public record PurgedAttachments(List<String> attachmentIds) {
    public PurgedAttachments {
      attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }
  }

  public record Purged(int purged) {}

  /** {@code created} is false for an idempotent replay (then {@code message} is the first one). */
  public record SendResult(Message message, boolean created) {}

  /**
   * A history page: exclusive seq bounds (non-negative), {@code limit} 1-200, default 50. With
   * {@code changedAfter} (a version, exclusive; no seq bound with it) the page is every message whose
   * latest change is above it, in version order.
   */
  public record History(String userId, String threadId, Long beforeSeq, Long afterSeq, Long limit, Long changedAfter) {
    public History {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      beforeSeq = Requests.range(beforeSeq, "beforeSeq", 0, Long.MAX_VALUE);
      afterSeq = Requests.range(afterSeq, "afterSeq", 0, Long.MAX_VALUE);
      limit = Requests.range(limit, "limit", 1, MAX_HISTORY_LIMIT);
      changedAfter = Requests.range(changedAfter, "changedAfter", 0, Long.MAX_VALUE);
      if (changedAfter != null && (beforeSeq != null || afterSeq != null)) {
        throw Requests.invalid("'changedAfter' cannot be combined with 'beforeSeq' or 'afterSeq'");
      }
    }

    public int pageSize() {
      return limit == null ? DEFAULT_HISTORY_LIMIT : limit.intValue();
    }
  }

  /** Oldest first; {@code hasMore} says more exist in the paging direction. */
  public record HistoryPage(List<Message> messages, boolean hasMore) {}

  /** The author ({@code userId}) replaces the body of their message; the same rules as a send's body. */
  public record EditMessage(String userId, String threadId, String messageId, String body) {
    public EditMessage {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      messageId = Requests.messageId(messageId, "messageId");
      body = Requests.messageBody(body, "body");
    }
  }

  /** The message as it is now; {@code changed} is false when the body was already that (nothing happened). */
  public record Edited(Message message, boolean changed) {}

  /** The author or an admin ({@code userId}) deletes a message. */
  public record DeleteMessage(String userId, String threadId, String messageId) {
    public DeleteMessage {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      messageId = Requests.messageId(messageId, "messageId");
    }
  }

  /** {@code deleted} is false when it already was a tombstone (nothing happened). */
  public record Deleted(boolean deleted) {}

  /** A message was deleted: {@code unreadBy} are the members who had not read it (their unread fell). */
  public record MessageDeleted(String threadId, String messageId, long seq, List<String> unreadBy) {
    public MessageDeleted {
      threadId = Requests.threadId(threadId, "threadId");
      unreadBy = unreadBy == null ? List.of() : List.copyOf(unreadBy);
    }
  }

  /**
   * A message was committed: {@code memberIds} are the thread's members at that moment;
   * {@code authorHadUnread} says the author's own unread may have fallen (their marker moved over others').
   */
  public record MessageSent(String threadId, String authorId, long seq, String messageId, List<String> memberIds,
      boolean authorHadUnread) {
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
