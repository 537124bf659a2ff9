package chat.unread;

import chat.api.v1.ApiV1;
import chat.api.v1.ApiV1.GetReceipts;
import chat.api.v1.ApiV1.GetUnread;
import chat.api.v1.ApiV1.ReceiptsReply;
import chat.api.v1.ApiV1.ThreadUnread;
import chat.api.v1.ApiV1.UnreadReply;
import chat.shared.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/**
 * unread-service's part of the service API: {@link ApiV1#GET_UNREAD}, a user's badge, and
 * {@link ApiV1#GET_RECEIPTS}, a thread's read markers, from the same store queries as the gateway's.
 */
final class ApiV1Unread {
  private final UnreadStore store;

  ApiV1Unread(UnreadStore store) {
    this.store = store;
  }

  List<MessageConsumer<Object>> register(Vertx vertx) {
    return List.of(Bus.serve(vertx, ApiV1.GET_UNREAD, this::unread), Bus.serve(vertx, ApiV1.GET_RECEIPTS, this::receipts));
  }

  Future<UnreadReply> unread(GetUnread req) {
    return store.badge(req.userId()).map(badge -> new UnreadReply(
        badge.byThread().stream().map(t -> new ThreadUnread(t.threadId(), t.unread())).toList(), badge.total()));
  }

  Future<ReceiptsReply> receipts(GetReceipts req) {
    return store.receipts(req.userId(), req.threadId()).map(list -> new ReceiptsReply(req.threadId(), list));
  }
}
