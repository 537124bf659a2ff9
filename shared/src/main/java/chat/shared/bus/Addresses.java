package chat.shared.bus;

/**
 * Every event-bus address of the system, in one place.
 *
 * <p>Public addresses are part of the outside contract (CONTRACT.md) and are reachable through the
 * gateway's SockJS bridge. A frame to an inbound public address is answered by the gateway that
 * received it, which stamps the authenticated user and calls the internal addresses below; services
 * never consume a public address, so a client frame can never reach a service unchecked.
 *
 * <p>Internal addresses are request/reply unless marked as events. Their request, reply and event
 * shapes are records, defined once beside their {@link Endpoint}s and {@link Topic}s in
 * {@code chat.shared.protocol} ({@code Messaging}, {@code Presence}, {@code Unread}); every body on the
 * wire is a plain JSON object. Every request carries the caller's authenticated {@code userId},
 * stamped by the gateway. Failures are replied with {@code fail(httpStatus, errorBodyJson)} (see
 * {@link Bus}).
 */
public final class Addresses {
  private Addresses() {}

  // ---- public, outbound (clients register) ----
  public static final String THREAD_PREFIX = "chat.thread.";
  public static final String USER_PREFIX = "chat.user.";

  /**
   * {@code chat.thread.<threadId>}: message:new, message:updated, message:deleted, presence:update,
   * typing:update, receipt:update, thread:updated, member:added, member:updated, member:removed.
   */
  public static String thread(String threadId) { return THREAD_PREFIX + threadId; }

  /**
   * {@code chat.user.<userId>}: unread:update, message:new, thread:added, thread:removed, thread:updated
   * (a rename, or their own mute from another device); message:updated
   * and message:deleted when they change the thread's newest message (the thread list's preview).
   */
  public static String user(String userId) { return USER_PREFIX + userId; }

  // ---- public, inbound (clients send; answered by the receiving gateway) ----
  public static final String CLIENT_THREAD_JOIN = "chat.thread.join";
  public static final String CLIENT_THREAD_LEAVE = "chat.thread.leave";
  public static final String CLIENT_TYPING_START = "chat.typing.start";
  public static final String CLIENT_TYPING_STOP = "chat.typing.stop";
  public static final String CLIENT_MESSAGE_SEND = "chat.message.send";
  public static final String CLIENT_THREAD_READ = "chat.thread.read";

  // ---- messaging-service ----
  public static final String USER_UPSERT = "messaging.user.upsert";
  public static final String THREAD_CREATE = "messaging.thread.create";
  public static final String THREAD_LIST = "messaging.thread.list";
  public static final String MEMBER_ADD = "messaging.member.add";
  public static final String MEMBER_REMOVE = "messaging.member.remove";
  public static final String MEMBER_CHECK = "messaging.member.check";
  public static final String MEMBER_LIST = "messaging.member.list";
  public static final String THREAD_RENAME = "messaging.thread.rename";
  public static final String MEMBER_ROLE = "messaging.member.role";
  public static final String THREAD_MUTE = "messaging.thread.mute";
  public static final String MESSAGE_SEND = "messaging.message.send";
  public static final String MESSAGE_HISTORY = "messaging.message.history";
  public static final String MESSAGE_EDIT = "messaging.message.edit";
  public static final String MESSAGE_DELETE = "messaging.message.delete";
  public static final String ATTACHMENT_CREATE = "messaging.attachment.create";
  public static final String ATTACHMENT_GET = "messaging.attachment.get";
  public static final String ATTACHMENT_SWEEP = "messaging.attachment.sweep";
  public static final String ATTACHMENT_PURGED = "messaging.attachment.purged";

  // ---- unread-service ----
  public static final String UNREAD_MARK_READ = "unread.mark-read";
  public static final String UNREAD_BADGE = "unread.badge";
  public static final String UNREAD_RECEIPTS = "unread.receipts";

  // ---- presence-service ----
  public static final String PRESENCE_JOIN = "presence.join";
  public static final String PRESENCE_LEAVE = "presence.leave";
  public static final String PRESENCE_DISCONNECT = "presence.disconnect";
  public static final String PRESENCE_TYPING_START = "presence.typing.start";
  public static final String PRESENCE_TYPING_STOP = "presence.typing.stop";
  /** Sent by each gateway every heartbeat interval. */
  public static final String PRESENCE_HEARTBEAT = "presence.heartbeat";

  // ---- gateways ----
  /**
   * Event, published: every gateway instance consumes it once and writes each event to its sockets registered
   * on the browser addresses the event names ({@code BUS_ROUTING=node}; see {@link BrowserEvents}).
   */
  public static final String GATEWAY_EVENTS = "gateway.events";
  /** Per Vert.x node: every gateway deployed in that node revokes a removed member there (request/reply). */
  public static String gatewayRevoke(String nodeId) { return "gateway.revoke." + nodeId; }

  // ---- internal events (after commit) ----
  /** Event, sent: unread-service pushes badges. */
  public static final String EVENT_MESSAGE_SENT_UNREAD = "events.message-sent.unread";
  /** Event, sent: presence-service clears the author's typing. */
  public static final String EVENT_MESSAGE_SENT_PRESENCE = "events.message-sent.presence";
  /** Event, sent: unread-service pushes the badges of the members who had not read the deleted message. */
  public static final String EVENT_MESSAGE_DELETED_UNREAD = "events.message-deleted.unread";
  /** Event, published: presence removes the user (gateways revoke through {@link #gatewayRevoke}). */
  public static final String EVENT_MEMBER_REMOVED = "events.member-removed";
}
