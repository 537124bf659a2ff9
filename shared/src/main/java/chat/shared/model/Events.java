package chat.shared.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;

/**
 * Bodies of the events delivered to clients on {@code chat.thread.<id>} and {@code chat.user.<id>}.
 * Each carries {@code type}; the shapes are the contract's.
 */
public final class Events {
  public static final String MESSAGE_NEW = "message:new";
  public static final String MESSAGE_UPDATED = "message:updated";
  public static final String MESSAGE_DELETED = "message:deleted";
  public static final String PRESENCE_UPDATE = "presence:update";
  public static final String TYPING_UPDATE = "typing:update";
  public static final String RECEIPT_UPDATE = "receipt:update";
  public static final String UNREAD_UPDATE = "unread:update";
  public static final String THREAD_ADDED = "thread:added";
  public static final String THREAD_REMOVED = "thread:removed";
  public static final String THREAD_UPDATED = "thread:updated";
  public static final String MEMBER_ADDED = "member:added";
  public static final String MEMBER_UPDATED = "member:updated";
  public static final String MEMBER_REMOVED = "member:removed";

  private Events() {}

  public static JsonObject messageNew(Message message) {
    return onThread(MESSAGE_NEW, message.threadId())
        .put("message", message.toJson());
  }

  /** An edit: the message as it is now. */
  public static JsonObject messageUpdated(Message message) {
    return onThread(MESSAGE_UPDATED, message.threadId())
        .put("message", message.toJson());
  }

  /** A delete: the tombstone's id and seq. */
  public static JsonObject messageDeleted(String threadId, String messageId, long seq) {
    return onThread(MESSAGE_DELETED, threadId)
        .put("messageId", messageId)
        .put("seq", seq);
  }

  public static JsonObject presenceUpdate(String threadId, Collection<String> onlineUserIds) {
    return onThread(PRESENCE_UPDATE, threadId)
        .put("onlineUserIds", new JsonArray(onlineUserIds.stream().sorted().toList()));
  }

  public static JsonObject typingUpdate(String threadId, Collection<String> userIds) {
    return onThread(TYPING_UPDATE, threadId)
        .put("userIds", new JsonArray(userIds.stream().sorted().toList()));
  }

  public static JsonObject receiptUpdate(String threadId, String userId, long lastReadSeq, Instant lastReadAt) {
    return onThread(RECEIPT_UPDATE, threadId)
        .put("userId", userId)
        .put("lastReadSeq", lastReadSeq)
        .put("lastReadAt", Timestamps.format(lastReadAt));
  }

  public static JsonObject unreadUpdate(String threadId, long unread, long total) {
    return onThread(UNREAD_UPDATE, threadId)
        .put("unread", unread)
        .put("total", total);
  }

  /** An event about one thread: its type and thread id, the fields every such event starts with. */
  private static JsonObject onThread(String type, String threadId) {
    return new JsonObject().put("type", type).put("threadId", threadId);
  }

  public static JsonObject threadAdded(ThreadSummary thread) {
    return new JsonObject().put("type", THREAD_ADDED).put("thread", thread.toJson());
  }

  /** On the removed member's user address, once every gateway has stopped their deliveries of the thread. */
  public static JsonObject threadRemoved(String threadId) {
    return onThread(THREAD_REMOVED, threadId);
  }

  /**
   * A thread's title or the reader's mute changed: on the thread's address the summary as nobody in
   * particular sees it ({@link ThreadSummary#shared}), on a member's user address as that member sees it.
   */
  public static JsonObject threadUpdated(ThreadSummary thread) {
    return new JsonObject().put("type", THREAD_UPDATED).put("thread", thread.toJson());
  }

  /** On the thread's address: {@code userId} joined with {@code role}. */
  public static JsonObject memberAdded(String threadId, String userId, String role) {
    return onThread(MEMBER_ADDED, threadId).put("userId", userId).put("role", role);
  }

  /** On the thread's address: {@code userId}'s role is now {@code role}. */
  public static JsonObject memberUpdated(String threadId, String userId, String role) {
    return onThread(MEMBER_UPDATED, threadId).put("userId", userId).put("role", role);
  }

  /** On the thread's address: {@code userId} left or was removed. */
  public static JsonObject memberRemoved(String threadId, String userId) {
    return onThread(MEMBER_REMOVED, threadId).put("userId", userId);
  }
}
