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
  public static final String PRESENCE_UPDATE = "presence:update";
  public static final String TYPING_UPDATE = "typing:update";
  public static final String RECEIPT_UPDATE = "receipt:update";
  public static final String UNREAD_UPDATE = "unread:update";
  public static final String THREAD_ADDED = "thread:added";
  public static final String THREAD_REMOVED = "thread:removed";

  private Events() {}

  public static JsonObject messageNew(Message message) {
    return new JsonObject()
        .put("type", MESSAGE_NEW)
        .put("threadId", message.threadId())
        .put("message", message.toJson());
  }

  public static JsonObject presenceUpdate(String threadId, Collection<String> onlineUserIds) {
    return new JsonObject()
        .put("type", PRESENCE_UPDATE)
        .put("threadId", threadId)
        .put("onlineUserIds", new JsonArray(onlineUserIds.stream().sorted().toList()));
  }

  public static JsonObject typingUpdate(String threadId, Collection<String> userIds) {
    return new JsonObject()
        .put("type", TYPING_UPDATE)
        .put("threadId", threadId)
        .put("userIds", new JsonArray(userIds.stream().sorted().toList()));
  }

  public static JsonObject receiptUpdate(String threadId, String userId, long lastReadSeq, Instant lastReadAt) {
    return new JsonObject()
        .put("type", RECEIPT_UPDATE)
        .put("threadId", threadId)
        .put("userId", userId)
        .put("lastReadSeq", lastReadSeq)
        .put("lastReadAt", Timestamps.format(lastReadAt));
  }

  public static JsonObject unreadUpdate(String threadId, long unread, long total) {
    return new JsonObject()
        .put("type", UNREAD_UPDATE)
        .put("threadId", threadId)
        .put("unread", unread)
        .put("total", total);
  }

  public static JsonObject threadAdded(ThreadSummary thread) {
    return new JsonObject().put("type", THREAD_ADDED).put("thread", thread.toJson());
  }

  /** On the removed member's user address, once every gateway has stopped their deliveries of the thread. */
  public static JsonObject threadRemoved(String threadId) {
    return new JsonObject().put("type", THREAD_REMOVED).put("threadId", threadId);
  }
}
