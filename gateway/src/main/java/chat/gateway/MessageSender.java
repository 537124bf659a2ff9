package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Sends a message for an authenticated user, the same way over HTTP and the bridge: validates the
 * body (trimmed, 1-4,000 characters) and the optional {@code clientMessageId}, applies the user's
 * send rate (one bucket for both ways in), and calls messaging. The result is messaging's
 * {@code {message, created}}; {@code created:false} means an idempotent replay of an earlier send.
 */
public final class MessageSender {
  private final TimedBus bus;
  private final RateLimiter sends;

  public MessageSender(TimedBus bus, RateLimiter sends) {
    this.bus = bus;
    this.sends = sends;
  }

  public Future<JsonObject> send(String userId, String threadId, JsonObject request) {
    JsonObject body = new JsonObject()
        .put("userId", userId)
        .put("threadId", Requests.threadId(threadId))
        .put("body", Requests.messageBody(request, "body"));
    String clientMessageId = Requests.optionalClientMessageId(request, "clientMessageId");
    if (clientMessageId != null) {
      body.put("clientMessageId", clientMessageId);
    }
    if (!sends.tryAcquire(userId)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "Too many messages, slow down");
    }
    return bus.request(Addresses.MESSAGE_SEND, body);
  }
}
