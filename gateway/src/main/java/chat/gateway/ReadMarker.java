package chat.gateway;

import chat.shared.protocol.Unread;
import chat.shared.protocol.Unread.MarkRead;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Marks a thread read for an authenticated user, over HTTP and the bridge alike: up to
 * {@code lastReadMessageId} (a message id) or, without it, up to the newest message. The result is
 * {@code {lastReadSeq, unread}}; markers never move backwards (unread-service guarantees it).
 */
public final class ReadMarker {
  private final TimedBus bus;

  public ReadMarker(TimedBus bus) {
    this.bus = bus;
  }

  public Future<JsonObject> markRead(MarkRead request) {
    return bus.request(Unread.MARK_READ, request)
        .map(r -> new JsonObject().put("lastReadSeq", r.lastReadSeq()).put("unread", r.unread()));
  }
}
