package chat.api.v1;

import chat.shared.Requests;
import chat.shared.bus.Endpoint;
import chat.shared.bus.Topic;
import chat.shared.model.Member;
import chat.shared.model.Message;
import chat.shared.model.Receipt;
import chat.shared.model.ThreadSummary;
import java.time.Instant;
import java.util.List;

/**
 * Version 1 of the chat's service API: the addresses under {@code chat.api.v1.} that other services on the
 * clustered bus use, with their request, reply and event records (docs/service-api.md lists them all).
 *
 * <p>Every body is a plain JSON object. Every request names the user the service acts as ({@code userId}:
 * a bot's own user id, or the person it acts for; a node with the cluster's certificate is trusted to act
 * for any user) and the calling service ({@code via}: 1-64 of {@code a-z 0-9 . _ -}). The acting user gets
 * exactly a member's rights, as through the gateway. Failures are {@code fail(httpStatus, errorJson)} with
 * the catalogue's {@code {"error","message"}}; a malformed request is refused before anything runs.
 *
 * <p>These shapes never change: a new call, event or optional field may be added to v1, and any other
 * change is a v2 beside it. Unknown fields are ignored, so a v1 caller keeps working when fields are added.
 */
public final class ApiV1 {
  public static final String PREFIX = "chat.api.v1.";

  public static final String USER_UPSERT = PREFIX + "user.upsert";
  public static final String THREAD_CREATE = PREFIX + "thread.create";
  public static final String MEMBER_ADD = PREFIX + "member.add";
  public static final String MEMBER_REMOVE = PREFIX + "member.remove";
  public static final String MESSAGE_SEND = PREFIX + "message.send";
  public static final String MESSAGE_HISTORY = PREFIX + "message.history";
  public static final String MESSAGE_EDIT = PREFIX + "message.edit";
  public static final String MESSAGE_DELETE = PREFIX + "message.delete";
  public static final String ATTACHMENT_LINK = PREFIX + "attachment.link";
  public static final String PRESENCE_GET = PREFIX + "presence.get";
  public static final String UNREAD_GET = PREFIX + "unread.get";
  public static final String THREAD_GET = PREFIX + "thread.get";
  public static final String RECEIPTS_GET = PREFIX + "receipts.get";
  public static final String THREAD_RENAME = PREFIX + "thread.rename";
  public static final String MEMBER_ROLE = PREFIX + "member.role";
  public static final String THREAD_MUTE = PREFIX + "thread.mute";

  public static final String EVENT_MESSAGE_SENT = PREFIX + "event.message.sent";
  public static final String EVENT_MESSAGE_EDITED = PREFIX + "event.message.edited";
  public static final String EVENT_MESSAGE_DELETED = PREFIX + "event.message.deleted";
  public static final String EVENT_MEMBER_ADDED = PREFIX + "event.member.added";
  public static final String EVENT_MEMBER_REMOVED = PREFIX + "event.member.removed";
  public static final String EVENT_READ_MOVED = PREFIX + "event.read.moved";
  public static final String EVENT_THREAD_RENAMED = PREFIX + "event.thread.renamed";
  public static final String EVENT_MEMBER_ROLE_CHANGED = PREFIX + "event.member.role";
  public static final String EVENT_MEMBER_MUTED = PREFIX + "event.member.muted";

  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 200;

  private ApiV1() {}

  // ---- calls (served by messaging-, presence- and unread-service) ----

  public static final Endpoint<UpsertUser, UserReply> UPSERT_USER =
      Endpoint.of(USER_UPSERT, UpsertUser.class, UserReply.class);
  public static final Endpoint<CreateThread, ThreadReply> CREATE_THREAD =
      Endpoint.of(THREAD_CREATE, CreateThread.class, ThreadReply.class);
  public static final Endpoint<AddMember, AddMemberReply> ADD_MEMBER =
      Endpoint.of(MEMBER_ADD, AddMember.class, AddMemberReply.class);
  public static final Endpoint<RemoveMember, RemoveMemberReply> REMOVE_MEMBER =
      Endpoint.of(MEMBER_REMOVE, RemoveMember.class, RemoveMemberReply.class);
  public static final Endpoint<SendMessage, SendReply> SEND_MESSAGE =
      Endpoint.of(MESSAGE_SEND, SendMessage.class, SendReply.class);
  public static final Endpoint<GetHistory, HistoryPage> GET_HISTORY =
      Endpoint.of(MESSAGE_HISTORY, GetHistory.class, HistoryPage.class);
  public static final Endpoint<EditMessage, EditReply> EDIT_MESSAGE =
      Endpoint.of(MESSAGE_EDIT, EditMessage.class, EditReply.class);
  public static final Endpoint<DeleteMessage, DeleteReply> DELETE_MESSAGE =
      Endpoint.of(MESSAGE_DELETE, DeleteMessage.class, DeleteReply.class);
  /** Served by the gateways: they hold the key that signs download links. */
  public static final Endpoint<GetAttachmentLink, AttachmentLink> GET_ATTACHMENT_LINK =
      Endpoint.of(ATTACHMENT_LINK, GetAttachmentLink.class, AttachmentLink.class);
  public static final Endpoint<GetPresence, PresenceReply> GET_PRESENCE =
      Endpoint.of(PRESENCE_GET, GetPresence.class, PresenceReply.class);
  public static final Endpoint<GetUnread, UnreadReply> GET_UNREAD =
      Endpoint.of(UNREAD_GET, GetUnread.class, UnreadReply.class);
  public static final Endpoint<GetThread, ThreadReply> GET_THREAD =
      Endpoint.of(THREAD_GET, GetThread.class, ThreadReply.class);
  public static final Endpoint<GetReceipts, ReceiptsReply> GET_RECEIPTS =
      Endpoint.of(RECEIPTS_GET, GetReceipts.class, ReceiptsReply.class);
  public static final Endpoint<RenameThread, ThreadReply> RENAME_THREAD =
      Endpoint.of(THREAD_RENAME, RenameThread.class, ThreadReply.class);
  public static final Endpoint<ChangeRole, RoleReply> CHANGE_ROLE =
      Endpoint.of(MEMBER_ROLE, ChangeRole.class, RoleReply.class);
  public static final Endpoint<MuteThread, MuteReply> MUTE_THREAD =
      Endpoint.of(THREAD_MUTE, MuteThread.class, MuteReply.class);

  // ---- events (published after the change is committed, to every subscriber) ----

  /** Every new message, whoever sent it (gateway or service); an idempotent replay is not new. */
  public static final Topic<MessageSent> MESSAGE_SENT = Topic.of(EVENT_MESSAGE_SENT, MessageSent.class);
  /** Every edit that changed a message's body; {@code message} is as it is now (a higher {@code version}). */
  public static final Topic<MessageEdited> MESSAGE_EDITED = Topic.of(EVENT_MESSAGE_EDITED, MessageEdited.class);
  /** Every message that became a tombstone; its {@code seq} stays taken. */
  public static final Topic<MessageDeleted> MESSAGE_DELETED = Topic.of(EVENT_MESSAGE_DELETED, MessageDeleted.class);
  /** Every membership that begins: each member of a new thread (the creator as admin), and each add. */
  public static final Topic<MemberAdded> MEMBER_ADDED = Topic.of(EVENT_MEMBER_ADDED, MemberAdded.class);
  /** Every membership that ends: a removal or a member leaving. */
  public static final Topic<MemberRemoved> MEMBER_REMOVED = Topic.of(EVENT_MEMBER_REMOVED, MemberRemoved.class);
  /** Every forward move of a member's read marker by a read (a send moves its author's marker implicitly). */
  public static final Topic<ReadMoved> READ_MOVED = Topic.of(EVENT_READ_MOVED, ReadMoved.class);
  /** Every rename (its activity time does not move). */
  public static final Topic<ThreadRenamed> THREAD_RENAMED = Topic.of(EVENT_THREAD_RENAMED, ThreadRenamed.class);
  /** Every role change: an admin's change, or the promotion that follows the last admin's leaving. */
  public static final Topic<MemberRoleChanged> MEMBER_ROLE_CHANGED =
      Topic.of(EVENT_MEMBER_ROLE_CHANGED, MemberRoleChanged.class);
  /** Every mute or unmute by a member (a notifier stays quiet for muted threads). */
  public static final Topic<MemberMuted> MEMBER_MUTED = Topic.of(EVENT_MEMBER_MUTED, MemberMuted.class);

  // ---- requests ----

  /** Creates the user (a bot, or a person before their first login) or renames them when {@code name} differs. */
  public record UpsertUser(String userId, String via, String name) {
    public UpsertUser {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      name = Requests.optionalName(name, "name");
    }
  }

  /** {@code userId} creates the thread and is its admin; {@code memberIds} (at most 500) become members. */
  public record CreateThread(String userId, String via, String title, List<String> memberIds) {
    public CreateThread {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      title = Requests.title(title, "title");
      memberIds = Requests.userIds(memberIds, "memberIds");
    }
  }

  /** {@code userId} (an admin of the thread) adds {@code memberId}. */
  public record AddMember(String userId, String via, String threadId, String memberId) {
    public AddMember {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      memberId = Requests.userId(memberId, "memberId");
    }
  }

  /** {@code userId} (an admin, or {@code memberId} themselves) removes {@code memberId}. */
  public record RemoveMember(String userId, String via, String threadId, String memberId) {
    public RemoveMember {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      memberId = Requests.userId(memberId, "memberId");
    }
  }

  /**
   * {@code userId} (a member: a bot user, or the person the service sends for) sends {@code body}; the
   * message's {@code authorId} is {@code userId} and its {@code via} is {@code via}. {@code clientMessageId}
   * makes a retry safe, as for a browser.
   */
  public record SendMessage(String userId, String via, String threadId, String body, String clientMessageId) {
    public SendMessage {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      body = Requests.messageBody(body, "body");
      clientMessageId = Requests.optionalClientMessageId(clientMessageId, "clientMessageId");
    }
  }

  /**
   * A page of history as {@code userId} (a member) reads it: exclusive seq bounds, {@code limit} 1-200, default 50.
   * {@code changedAfter} (a message {@code version}; not combined with the seq bounds) instead returns every
   * message sent, edited or deleted after that version, in version order: the one call a service needs to
   * catch up on everything it missed.
   */
  public record GetHistory(String userId, String via, String threadId, Long afterSeq, Long beforeSeq, Long limit,
      Long changedAfter) {
    public GetHistory {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      afterSeq = Requests.range(afterSeq, "afterSeq", 0, Long.MAX_VALUE);
      beforeSeq = Requests.range(beforeSeq, "beforeSeq", 0, Long.MAX_VALUE);
      limit = Requests.range(limit, "limit", 1, MAX_HISTORY_LIMIT);
      changedAfter = Requests.range(changedAfter, "changedAfter", 0, Long.MAX_VALUE);
      if (changedAfter != null && (beforeSeq != null || afterSeq != null)) {
        throw Requests.invalid("'changedAfter' cannot be combined with 'beforeSeq' or 'afterSeq'");
      }
    }

    /** The request as v1 first defined it (no {@code changedAfter}). */
    public GetHistory(String userId, String via, String threadId, Long afterSeq, Long beforeSeq, Long limit) {
      this(userId, via, threadId, afterSeq, beforeSeq, limit, null);
    }
  }

  /** {@code userId} (the author) replaces the body of a message; the same rules as a send's body. */
  public record EditMessage(String userId, String via, String threadId, String messageId, String body) {
    public EditMessage {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      messageId = Requests.messageId(messageId, "messageId");
      body = Requests.messageBody(body, "body");
    }
  }

  /**
   * A download link for an attachment of a message, as {@code userId} (a member of its thread) may read it:
   * messages carry {@code attachments} without {@code url} on the bus, since only gateways sign links.
   */
  public record GetAttachmentLink(String userId, String via, String attachmentId) {
    public GetAttachmentLink {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      attachmentId = Requests.uuid(attachmentId, "attachmentId").toString();
    }
  }

  /** {@code userId} (the author, or an admin of the thread) deletes a message. */
  public record DeleteMessage(String userId, String via, String threadId, String messageId) {
    public DeleteMessage {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      messageId = Requests.messageId(messageId, "messageId");
    }
  }

  /** Who is online and typing in a thread, as {@code userId} (a member) sees it. */
  public record GetPresence(String userId, String via, String threadId) {
    public GetPresence {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** The unread counts of {@code userId} (their badge). */
  public record GetUnread(String userId, String via) {
    public GetUnread {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
    }
  }

  /** The thread's summary as {@code userId} (a member) sees it: title, lastSeq, member count, first members. */
  public record GetThread(String userId, String via, String threadId) {
    public GetThread {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** Every member's read marker ("Seen by"), as {@code userId} (a member) sees them: also the full member list. */
  public record GetReceipts(String userId, String via, String threadId) {
    public GetReceipts {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** {@code userId} (an admin of the thread) renames it; the title's rules are a new thread's. */
  public record RenameThread(String userId, String via, String threadId, String title) {
    public RenameThread {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      title = Requests.title(title, "title");
    }
  }

  /**
   * {@code userId} (an admin) gives {@code memberId} the {@code role} {@code admin} or {@code member}; the
   * last admin cannot be demoted ({@code forbidden}).
   */
  public record ChangeRole(String userId, String via, String threadId, String memberId, String role) {
    public ChangeRole {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      memberId = Requests.userId(memberId, "memberId");
      role = Requests.required(role, "role");
      if (!role.equals(Member.ADMIN) && !role.equals(Member.MEMBER)) {
        throw Requests.invalid("'role' must be \"admin\" or \"member\"");
      }
    }
  }

  /** {@code userId} (a member) mutes or unmutes the thread for themselves, on every device. */
  public record MuteThread(String userId, String via, String threadId, Boolean muted) {
    public MuteThread {
      userId = Requests.userId(userId, "userId");
      via = Requests.serviceName(via, "via");
      threadId = Requests.threadId(threadId, "threadId");
      muted = Requests.required(muted, "muted");
    }
  }

  // ---- replies ----

  public record UserReply(String userId) {}

  /** The new thread as its creator sees it. */
  public record ThreadReply(ThreadSummary thread) {}

  /** {@code added} is false when they already were a member; {@code thread} as the caller sees it. */
  public record AddMemberReply(boolean added, ThreadSummary thread) {}

  /** {@code removed} is false when they were not a member (a no-op). */
  public record RemoveMemberReply(boolean removed) {}

  /** {@code created} is false for a repeated {@code clientMessageId}: {@code message} is then the first one. */
  public record SendReply(Message message, boolean created) {}

  /** Oldest first; {@code hasMore} says more exist in the paging direction. */
  public record HistoryPage(List<Message> messages, boolean hasMore) {}

  /** Sorted user ids. */
  public record PresenceReply(String threadId, List<String> onlineUserIds, List<String> typingUserIds) {}

  /** The threads with unread above 0 (a thread not listed has 0) and their total. */
  public record UnreadReply(List<ThreadUnread> byThread, long total) {}

  public record ThreadUnread(String threadId, long unread) {}

  /** The message as it is now; {@code changed} is false when its body already was that. */
  public record EditReply(Message message, boolean changed) {}

  /**
   * An attachment and its signed link: a path on any gateway ({@code /api/attachments/{id}?exp=…&sig=…}), valid one
   * to two hours, that needs no token.
   */
  public record AttachmentLink(String id, String threadId, String name, String contentType, long size, String url) {}

  /** {@code deleted} is false when it already was a tombstone. */
  public record DeleteReply(boolean deleted) {}

  /** One entry per member, by user id; {@code lastReadSeq} 0 and {@code lastReadAt} null before their first read. */
  public record ReceiptsReply(String threadId, List<Receipt> receipts) {}

  /** {@code userId}'s role now; {@code changed} is false when it already was that. */
  public record RoleReply(String userId, String role, boolean changed) {}

  public record MuteReply(boolean muted) {}

  // ---- events ----

  /** A message was committed; {@code message.via} names the service that sent it, if one did. */
  public record MessageSent(String threadId, Message message) {}

  /** A message's body changed; {@code message} is as it is now. */
  public record MessageEdited(String threadId, Message message) {}

  /** The message {@code messageId} at {@code seq} became a tombstone. */
  public record MessageDeleted(String threadId, String messageId, long seq) {}

  /** {@code userId} became a member of {@code threadId} with {@code role} ({@code admin} or {@code member}). */
  public record MemberAdded(String threadId, String userId, String role) {}

  /** {@code userId} is no longer a member of {@code threadId}. */
  public record MemberRemoved(String threadId, String userId) {}

  /** {@code userId} has read {@code threadId} up to {@code lastReadSeq}. */
  public record ReadMoved(String threadId, String userId, long lastReadSeq, Instant lastReadAt) {}

  /** {@code threadId} is now called {@code title}. */
  public record ThreadRenamed(String threadId, String title) {}

  /** {@code userId}'s role in {@code threadId} is now {@code role}. */
  public record MemberRoleChanged(String threadId, String userId, String role) {}

  /** {@code userId} muted ({@code muted} true) or unmuted {@code threadId}. */
  public record MemberMuted(String threadId, String userId, boolean muted) {}
}
