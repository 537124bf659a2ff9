package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
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

  public Future<JsonObject> markRead(String userId, String threadId, JsonObject request) {
    JsonObject body = new JsonObject().put("userId", userId).put("threadId", Requests.threadId(threadId));
    String messageId = request == null ? null : Requests.optionalString(request, "lastReadMessageId");
    if (messageId != null) {
      body.put("lastReadMessageId", Requests.uuid(messageId, "lastReadMessageId").toString());
    }
    return bus.request(Addresses.UNREAD_MARK_READ, body)
        .map(r -> new JsonObject().put("lastReadSeq", r.getValue("lastReadSeq")).put("unread", r.getValue("unread")));
  }
}
