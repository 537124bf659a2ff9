package chat.client;

import chat.api.v1.ApiV1;
import chat.api.v1.ApiV1.AddMember;
import chat.api.v1.ApiV1.AddMemberReply;
import chat.api.v1.ApiV1.AttachmentLink;
import chat.api.v1.ApiV1.GetAttachmentLink;
import chat.api.v1.ApiV1.ChangeRole;
import chat.api.v1.ApiV1.MemberMuted;
import chat.api.v1.ApiV1.MemberRoleChanged;
import chat.api.v1.ApiV1.MuteReply;
import chat.api.v1.ApiV1.MuteThread;
import chat.api.v1.ApiV1.RenameThread;
import chat.api.v1.ApiV1.RoleReply;
import chat.api.v1.ApiV1.ThreadRenamed;
import chat.api.v1.ApiV1.CreateThread;
import chat.api.v1.ApiV1.DeleteMessage;
import chat.api.v1.ApiV1.DeleteReply;
import chat.api.v1.ApiV1.EditMessage;
import chat.api.v1.ApiV1.EditReply;
import chat.api.v1.ApiV1.GetHistory;
import chat.api.v1.ApiV1.GetPresence;
import chat.api.v1.ApiV1.GetReceipts;
import chat.api.v1.ApiV1.GetThread;
import chat.api.v1.ApiV1.GetUnread;
import chat.api.v1.ApiV1.HistoryPage;
import chat.api.v1.ApiV1.MemberAdded;
import chat.api.v1.ApiV1.MemberRemoved;
import chat.api.v1.ApiV1.MessageDeleted;
import chat.api.v1.ApiV1.MessageEdited;
import chat.api.v1.ApiV1.MessageSent;
import chat.api.v1.ApiV1.PresenceReply;
import chat.api.v1.ApiV1.ReadMoved;
import chat.api.v1.ApiV1.ReceiptsReply;
import chat.api.v1.ApiV1.RemoveMember;
import chat.api.v1.ApiV1.SendMessage;
import chat.api.v1.ApiV1.SendReply;
import chat.api.v1.ApiV1.ThreadReply;
import chat.api.v1.ApiV1.UnreadReply;
import chat.api.v1.ApiV1.UpsertUser;
import chat.shared.Requests;
import chat.shared.bus.Bus;
import chat.shared.bus.Topic;
import chat.shared.config.ChatConfig;
import chat.shared.model.ThreadSummary;
import chat.shared.runtime.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The chat's service API ({@code chat.api.v1.}) for a Java service on the clustered bus: typed calls that
 * return {@link Future}s and typed event subscriptions. Every call names the user the service acts as; the
 * client adds its service name as {@code via}. A failed call fails with a {@link chat.shared.ChatException}
 * carrying the catalogue's code ({@code not_member}, {@code unavailable} after the bus timeout, ...).
 *
 * <p>{@link #connect} joins the cluster exactly as the chat's own services do (the same environment
 * variables, read by {@link ChatConfig}, and the same bootstrap, {@link VertxFactory}); {@link #on} uses a
 * Vert.x the service already joined to the cluster.
 */
public final class ChatClient {
  private final Vertx vertx;
  private final Bus bus;
  private final String via;
  private final boolean ownsVertx;

  private ChatClient(Vertx vertx, String via, long timeoutMs, boolean ownsVertx) {
    this.vertx = vertx;
    this.via = Requests.serviceName(via, "via");
    this.bus = new Bus(vertx, timeoutMs);
    this.ownsVertx = ownsVertx;
  }

  /** Joins the cluster configured by the environment variables, as service {@code via}. */
  public static Future<ChatClient> connect(String via) {
    return connect(via, System.getenv());
  }

  /** Joins the cluster configured by {@code env} (the variables of the README's table), as service {@code via}. */
  public static Future<ChatClient> connect(String via, Map<String, String> env) {
    Requests.serviceName(via, "via");
    ChatConfig config = ChatConfig.from(env);
    return VertxFactory.clustered(config.cluster()).map(v -> new ChatClient(v, via, config.busTimeoutMs(), true));
  }

  /** A client on a Vert.x that is already clustered; {@link #close} leaves it running. */
  public static ChatClient on(Vertx vertx, String via, long timeoutMs) {
    return new ChatClient(vertx, via, timeoutMs, false);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The service name this client sends as {@code via}. */
  public String via() {
    return via;
  }

  // ---- calls ----

  /** Creates the user or sets their display name (a bot names itself once at start). */
  public Future<Void> upsertUser(String userId, String name) {
    return bus.request(ApiV1.UPSERT_USER, new UpsertUser(userId, via, name)).mapEmpty();
  }

  /** {@code asUserId} creates a thread (as its admin) with {@code memberIds}. */
  public Future<ThreadSummary> createThread(String asUserId, String title, List<String> memberIds) {
    return bus.request(ApiV1.CREATE_THREAD, new CreateThread(asUserId, via, title, memberIds)).map(ThreadReply::thread);
  }

  /** {@code asUserId}, an admin, adds {@code memberId}. */
  public Future<AddMemberReply> addMember(String asUserId, String threadId, String memberId) {
    return bus.request(ApiV1.ADD_MEMBER, new AddMember(asUserId, via, threadId, memberId));
  }

  /** {@code asUserId} (an admin, or the member themselves) removes {@code memberId}; true if they were a member. */
  public Future<Boolean> removeMember(String asUserId, String threadId, String memberId) {
    return bus.request(ApiV1.REMOVE_MEMBER, new RemoveMember(asUserId, via, threadId, memberId))
        .map(ApiV1.RemoveMemberReply::removed);
  }

  /** {@code asUserId}, an admin, renames the thread; the thread as they see it after. */
  public Future<ThreadSummary> renameThread(String asUserId, String threadId, String title) {
    return bus.request(ApiV1.RENAME_THREAD, new RenameThread(asUserId, via, threadId, title)).map(ThreadReply::thread);
  }

  /** {@code asUserId}, an admin, gives {@code memberId} the role {@code admin} or {@code member}. */
  public Future<RoleReply> changeRole(String asUserId, String threadId, String memberId, String role) {
    return bus.request(ApiV1.CHANGE_ROLE, new ChangeRole(asUserId, via, threadId, memberId, role));
  }

  /** {@code asUserId} mutes or unmutes the thread for themselves, on every device. */
  public Future<Boolean> mute(String asUserId, String threadId, boolean muted) {
    return bus.request(ApiV1.MUTE_THREAD, new MuteThread(asUserId, via, threadId, muted)).map(MuteReply::muted);
  }

  /**
   * {@code asUserId} (a member: a bot user or the person the service acts for) sends {@code body}; the
   * message carries this client's {@code via}. {@code clientMessageId} (nullable) makes a retry safe.
   */
  public Future<SendReply> send(String asUserId, String threadId, String body, String clientMessageId) {
    return bus.request(ApiV1.SEND_MESSAGE, new SendMessage(asUserId, via, threadId, body, clientMessageId));
  }

  /** A page of history as {@code asUserId} reads it; each bound and the limit may be null. */
  public Future<HistoryPage> history(String asUserId, String threadId, Long afterSeq, Long beforeSeq, Long limit) {
    return bus.request(ApiV1.GET_HISTORY, new GetHistory(asUserId, via, threadId, afterSeq, beforeSeq, limit));
  }

  /** Every message of the thread sent, edited or deleted after {@code version}, oldest change first. */
  public Future<HistoryPage> changedAfter(String asUserId, String threadId, long version, Long limit) {
    return bus.request(ApiV1.GET_HISTORY, new GetHistory(asUserId, via, threadId, null, null, limit, version));
  }

  /** {@code asUserId} (the author) replaces the message's body. */
  public Future<EditReply> edit(String asUserId, String threadId, String messageId, String body) {
    return bus.request(ApiV1.EDIT_MESSAGE, new EditMessage(asUserId, via, threadId, messageId, body));
  }

  /** {@code asUserId} (the author or an admin) deletes the message; false when it already was deleted. */
  public Future<Boolean> delete(String asUserId, String threadId, String messageId) {
    return bus.request(ApiV1.DELETE_MESSAGE, new DeleteMessage(asUserId, via, threadId, messageId))
        .map(DeleteReply::deleted);
  }

  /** A signed download link (a path on any gateway) for an attachment {@code asUserId} may read. */
  public Future<AttachmentLink> attachmentLink(String asUserId, String attachmentId) {
    return bus.request(ApiV1.GET_ATTACHMENT_LINK, new GetAttachmentLink(asUserId, via, attachmentId));
  }

  /** Who is online and typing in the thread, as {@code asUserId} (a member) sees it. */
  public Future<PresenceReply> presence(String asUserId, String threadId) {
    return bus.request(ApiV1.GET_PRESENCE, new GetPresence(asUserId, via, threadId));
  }

  /** The unread counts of {@code userId}. */
  public Future<UnreadReply> unread(String userId) {
    return bus.request(ApiV1.GET_UNREAD, new GetUnread(userId, via));
  }

  /** The thread's summary (title, lastSeq, ...) as {@code asUserId} (a member) sees it. */
  public Future<ThreadSummary> thread(String asUserId, String threadId) {
    return bus.request(ApiV1.GET_THREAD, new GetThread(asUserId, via, threadId)).map(ThreadReply::thread);
  }

  /** Every member's read marker, as {@code asUserId} (a member) sees them. */
  public Future<ReceiptsReply> receipts(String asUserId, String threadId) {
    return bus.request(ApiV1.GET_RECEIPTS, new GetReceipts(asUserId, via, threadId));
  }

  // ---- events ----

  public Subscription onMessageSent(Consumer<MessageSent> handler) {
    return subscribe(ApiV1.MESSAGE_SENT, handler);
  }

  public Subscription onMessageEdited(Consumer<MessageEdited> handler) {
    return subscribe(ApiV1.MESSAGE_EDITED, handler);
  }

  public Subscription onMessageDeleted(Consumer<MessageDeleted> handler) {
    return subscribe(ApiV1.MESSAGE_DELETED, handler);
  }

  public Subscription onMemberAdded(Consumer<MemberAdded> handler) {
    return subscribe(ApiV1.MEMBER_ADDED, handler);
  }

  public Subscription onMemberRemoved(Consumer<MemberRemoved> handler) {
    return subscribe(ApiV1.MEMBER_REMOVED, handler);
  }

  public Subscription onReadMoved(Consumer<ReadMoved> handler) {
    return subscribe(ApiV1.READ_MOVED, handler);
  }

  public Subscription onThreadRenamed(Consumer<ThreadRenamed> handler) {
    return subscribe(ApiV1.THREAD_RENAMED, handler);
  }

  public Subscription onMemberRoleChanged(Consumer<MemberRoleChanged> handler) {
    return subscribe(ApiV1.MEMBER_ROLE_CHANGED, handler);
  }

  public Subscription onMemberMuted(Consumer<MemberMuted> handler) {
    return subscribe(ApiV1.MEMBER_MUTED, handler);
  }

  private <E> Subscription subscribe(Topic<E> topic, Consumer<E> handler) {
    return new Subscription(Bus.consume(vertx, topic, handler));
  }

  /** Leaves the cluster when {@link #connect} joined it; otherwise does nothing. */
  public Future<Void> close() {
    return ownsVertx ? vertx.close() : Future.succeededFuture();
  }

  /**
   * A subscription to one v1 event. Events are delivered on a Vert.x event loop, in the order this node
   * received them; an event published before {@link #ready} completes may be missed (catch up by
   * {@code seq} with {@link #history}).
   */
  public static final class Subscription {
    private final MessageConsumer<Object> consumer;

    private Subscription(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
    }

    /** Completes once the whole cluster routes the event to this subscription. */
    public Future<Void> ready() {
      return consumer.completion();
    }

    public Future<Void> unsubscribe() {
      return consumer.unregister();
    }
  }
}
