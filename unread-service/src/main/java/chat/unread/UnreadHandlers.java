package chat.unread;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unread-service's bus handlers: decode and validate the request, call the store, publish the
 * events, reply. Callers are trusted to have stamped the authenticated {@code userId}.
 */
final class UnreadHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadHandlers.class);

  private final Vertx vertx;
  private final UnreadStore store;
  private final BadgePusher pusher;
  private final Counter unreadUpdates = ChatMetrics.eventsPublished(Events.UNREAD_UPDATE);
  private final Counter receiptUpdates = ChatMetrics.eventsPublished(Events.RECEIPT_UPDATE);

  UnreadHandlers(Vertx vertx, UnreadStore store, BadgePusher pusher) {
    this.vertx = vertx;
    this.store = store;
    this.pusher = pusher;
  }

  /**
   * {@code unread.mark-read}. Every device of the reader gets {@code unread:update} (even when the
   * marker did not move, so a stale tab catches up); the thread gets {@code receipt:update} only
   * when the marker moved.
   */
  Future<JsonObject> markRead(JsonObject body) {
    String userId = Requests.requireUserId(body, "userId");
    String threadId = Requests.requireThreadId(body, "threadId");
    String messageId = Requests.optionalString(body, "lastReadMessageId");
    UUID lastReadMessageId = messageId == null ? null : Requests.uuid(messageId, "lastReadMessageId");
    return store.markRead(userId, threadId, lastReadMessageId).map(read -> {
      if (read.moved()) {
        vertx.eventBus().publish(Addresses.thread(threadId),
            Events.receiptUpdate(threadId, userId, read.lastReadSeq(), read.lastReadAt()));
        receiptUpdates.increment();
      }
      vertx.eventBus().publish(Addresses.user(userId), Events.unreadUpdate(threadId, read.unread(), read.total()));
      unreadUpdates.increment();
      return read.toJson();
    });
  }

  /** {@code unread.badge}: {@code {byThread:[{threadId,unread}],total}}. */
  Future<JsonObject> badge(JsonObject body) {
    return store.badge(Requests.requireUserId(body, "userId")).map(Badge::toJson);
  }

  /** {@code unread.receipts}: {@code {receipts:[{userId,lastReadSeq,lastReadAt}]}}, members only. */
  Future<JsonObject> receipts(JsonObject body) {
    String userId = Requests.requireUserId(body, "userId");
    String threadId = Requests.requireThreadId(body, "threadId");
    return store.receipts(userId, threadId).map(receipts -> {
      JsonArray items = new JsonArray();
      receipts.forEach(r -> items.add(r.toJson()));
      return new JsonObject().put("receipts", items);
    });
  }

  /**
   * {@code events.message-sent.unread} {threadId,authorId,seq,messageId,memberIds}: hands the members
   * to the badge pusher. A malformed event is logged and dropped.
   */
  void messageSent(Message<Object> msg) {
    try {
      if (!(msg.body() instanceof JsonObject body)) {
        throw Requests.invalid("Body must be a JSON object");
      }
      String threadId = Requests.requireThreadId(body, "threadId");
      String authorId = Requests.requireString(body, "authorId");
      JsonArray ids = body.getJsonArray("memberIds");
      if (ids == null) {
        throw Requests.invalid("'memberIds' is required");
      }
      List<String> memberIds = new ArrayList<>(ids.size());
      for (Object id : ids) {
        if (!(id instanceof String s)) {
          throw Requests.invalid("'memberIds' must hold strings");
        }
        memberIds.add(s);
      }
      pusher.messageSent(threadId, authorId, memberIds);
    } catch (RuntimeException e) {
      LOG.warn("Dropped a malformed {} event: {}", Addresses.EVENT_MESSAGE_SENT_UNREAD, e.getMessage());
    }
    if (msg.replyAddress() != null) {
      msg.reply(new JsonObject().put("ok", true));
    }
  }
}
