package chat.unread;

import chat.api.v1.ApiV1;
import chat.api.v1.ApiV1.GetUnread;
import chat.api.v1.ApiV1.ThreadUnread;
import chat.api.v1.ApiV1.UnreadReply;
import chat.shared.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/** unread-service's part of the service API: {@link ApiV1#GET_UNREAD}, a user's badge from the same store query. */
final class ApiV1Unread {
  private final UnreadStore store;

  ApiV1Unread(UnreadStore store) {
    this.store = store;
  }

  MessageConsumer<Object> register(Vertx vertx) {
    return Bus.serve(vertx, ApiV1.GET_UNREAD, this::unread);
  }

  Future<UnreadReply> unread(GetUnread req) {
    return store.badge(req.userId()).map(badge -> new UnreadReply(
        badge.byThread().stream().map(t -> new ThreadUnread(t.threadId(), t.unread())).toList(), badge.total()));
  }
}
