package chat.unread;

import chat.api.v1.ApiV1;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.protocol.Messaging.MessageDeleted;
import chat.shared.protocol.Messaging.MessageSent;
import chat.shared.protocol.Unread;
import chat.shared.protocol.Unread.Badge;
import chat.shared.protocol.Unread.BadgeOf;
import chat.shared.protocol.Unread.MarkRead;
import chat.shared.protocol.Unread.ReadMarked;
import chat.shared.protocol.Unread.ReceiptList;
import chat.shared.protocol.Unread.ReceiptsOf;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;

/**
 * The unread-service's bus handlers: call the store with the decoded request, publish the events,
 * reply. Callers are trusted to have stamped the authenticated {@code userId}.
 */
final class UnreadHandlers {
  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final UnreadStore store;
  private final BadgePusher pusher;
  private final Counter receiptUpdates = ChatMetrics.eventsPublished(Events.RECEIPT_UPDATE);

  UnreadHandlers(Vertx vertx, BrowserEvents browsers, UnreadStore store, BadgePusher pusher) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
    this.pusher = pusher;
  }

  /**
   * {@link Unread#MARK_READ}. Every device of the reader gets {@code unread:update} (even when the
   * marker did not move, so a stale tab catches up) through the badge pusher, which orders it after any
   * push still in flight; the thread gets {@code receipt:update} and services {@link ApiV1#READ_MOVED}
   * only when the marker moved.
   */
  Future<ReadMarked> markRead(MarkRead req) {
    UUID messageId = req.lastReadMessageId() == null ? null : UUID.fromString(req.lastReadMessageId());
    return store.markRead(req.userId(), req.threadId(), messageId).map(read -> {
      if (read.moved()) {
        browsers.toThread(req.threadId(),
            Events.receiptUpdate(req.threadId(), req.userId(), read.lastReadSeq(), read.lastReadAt()));
        receiptUpdates.increment();
        Bus.publish(vertx, ApiV1.READ_MOVED,
            new ApiV1.ReadMoved(req.threadId(), req.userId(), read.lastReadSeq(), read.lastReadAt()));
      }
      pusher.changed(req.threadId(), List.of(req.userId()));
      return read.toReply();
    });
  }

  /** {@link Unread#BADGE}. */
  Future<Badge> badge(BadgeOf req) {
    return store.badge(req.userId());
  }

  /** {@link Unread#RECEIPTS}: members only. */
  Future<ReceiptList> receipts(ReceiptsOf req) {
    return store.receipts(req.userId(), req.threadId()).map(ReceiptList::new);
  }

  /** {@code events.message-deleted.unread}: hands those who had not read it to the badge pusher. */
  void messageDeleted(MessageDeleted event) {
    pusher.changed(event.threadId(), event.unreadBy());
  }

  /** {@code events.message-sent.unread}: hands the members to the badge pusher. */
  void messageSent(MessageSent event) {
    pusher.messageSent(event.threadId(), event.authorId(), event.memberIds());
    if (event.authorHadUnread()) {
      pusher.changed(event.threadId(), List.of(event.authorId()));
    }
  }
}
