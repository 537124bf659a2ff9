package chat.shared.bus;

/**
 * Every event-bus address of the system, in one place.
 *
 * <p>Public addresses are part of the outside contract (CONTRACT.md) and are reachable through the
 * gateway's SockJS bridge. Inbound public addresses are served only by a gateway-local consumer that
 * stamps the authenticated user and forwards to the internal addresses below; services never
 * consume a public address, so a client frame can never reach a service unchecked.
 *
 * <p>Internal addresses are request/reply unless marked "publish" or "send". Every request body
 * carries the caller's authenticated {@code userId}, stamped by the gateway. Failures are replied
 * with {@code fail(httpStatus, errorBodyJson)} (see {@link chat.shared.ChatException}).
 */
public final class Addresses {
  private Addresses() {}

  // ---- public, outbound (clients register) ----
  public static final String THREAD_PREFIX = "chat.thread.";
  public static final String USER_PREFIX = "chat.user.";

  /** {@code chat.thread.<threadId>}: message:new, presence:update, typing:update, receipt:update. */
  public static String thread(String threadId) { return THREAD_PREFIX + threadId; }

  /** {@code chat.user.<userId>}: unread:update, message:new, thread:added. */
  public static String user(String userId) { return USER_PREFIX + userId; }

  // ---- public, inbound (clients send; gateway-local consumers) ----
  public static final String CLIENT_THREAD_JOIN = "chat.thread.join";
  public static final String CLIENT_THREAD_LEAVE = "chat.thread.leave";
  public static final String CLIENT_TYPING_START = "chat.typing.start";
  public static final String CLIENT_TYPING_STOP = "chat.typing.stop";
  public static final String CLIENT_MESSAGE_SEND = "chat.message.send";
  public static final String CLIENT_THREAD_READ = "chat.thread.read";

  // ---- messaging-service ----
  /** {userId,name} -> {userId}. Upserts the user row. */
  public static final String USER_UPSERT = "messaging.user.upsert";
  /** {userId,title,memberIds[]} -> thread summary. */
  public static final String THREAD_CREATE = "messaging.thread.create";
  /** {userId,limit?} -> {threads:[summary]}, newest activity first. */
  public static final String THREAD_LIST = "messaging.thread.list";
  /** {userId,threadId,memberId} -> {added:bool,thread:summary}. Admins only. */
  public static final String MEMBER_ADD = "messaging.member.add";
  /** {userId,threadId,memberId} -> {removed:bool}. Admins, or anyone for themselves. */
  public static final String MEMBER_REMOVE = "messaging.member.remove";
  /** {userId,threadId} -> {role}; fails thread_not_found / not_member. */
  public static final String MEMBER_CHECK = "messaging.member.check";
  /** {userId,threadId,body,clientMessageId?} -> {message,created:bool}. */
  public static final String MESSAGE_SEND = "messaging.message.send";
  /** {userId,threadId,beforeSeq?,afterSeq?,limit?} -> {messages:[],hasMore}. */
  public static final String MESSAGE_HISTORY = "messaging.message.history";

  // ---- unread-service ----
  /** {userId,threadId,lastReadMessageId?} -> {lastReadSeq,unread,lastReadAt}. */
  public static final String UNREAD_MARK_READ = "unread.mark-read";
  /** {userId} -> {byThread:[{threadId,unread}],total}. */
  public static final String UNREAD_BADGE = "unread.badge";
  /** {userId,threadId} -> {receipts:[{userId,lastReadSeq,lastReadAt}]}. */
  public static final String UNREAD_RECEIPTS = "unread.receipts";

  // ---- presence-service ----
  /** {userId,threadId,connectionId,gatewayId} -> {onlineUserIds,typingUserIds}. */
  public static final String PRESENCE_JOIN = "presence.join";
  /** {userId,threadId,connectionId} -> {ok}. */
  public static final String PRESENCE_LEAVE = "presence.leave";
  /** {userId,connectionId,gatewayId} -> {ok}. A connection closed: leave all, stop its typing. */
  public static final String PRESENCE_DISCONNECT = "presence.disconnect";
  /** {userId,threadId} -> {ok}. */
  public static final String PRESENCE_TYPING_START = "presence.typing.start";
  /** {userId,threadId} -> {ok}. */
  public static final String PRESENCE_TYPING_STOP = "presence.typing.stop";
  /**
   * {gatewayId} -> {ok,known}. Sent by each gateway every heartbeat interval; {@code known:false} means
   * presence had no entries for the gateway (first beat, expired, or Redis lost them): it re-joins.
   */
  public static final String PRESENCE_HEARTBEAT = "presence.heartbeat";

  // ---- internal events (after commit) ----
  /** send: {threadId,authorId,seq,messageId,memberIds[]}; unread-service pushes badges. */
  public static final String EVENT_MESSAGE_SENT_UNREAD = "events.message-sent.unread";
  /** send: {threadId,authorId}; presence-service clears the author's typing. */
  public static final String EVENT_MESSAGE_SENT_PRESENCE = "events.message-sent.presence";
  /** publish: {threadId,userId}; gateways drop the user's registrations, presence removes them. */
  public static final String EVENT_MEMBER_REMOVED = "events.member-removed";
}
