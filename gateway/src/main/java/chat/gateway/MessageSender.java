package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.SendMessage;
import chat.shared.protocol.Messaging.SendResult;
import io.vertx.core.Future;

/**
 * Sends a message for an authenticated user, the same way over HTTP and the bridge: applies the user's
 * send rate (one bucket for both ways in) and calls messaging. {@code created:false} in the result means
 * an idempotent replay of an earlier send.
 */
public final class MessageSender {
  private final TimedBus bus;
  private final RateLimiter sends;

  public MessageSender(TimedBus bus, RateLimiter sends) {
    this.bus = bus;
    this.sends = sends;
  }

  public Future<SendResult> send(SendMessage request) {
    if (!sends.tryAcquire(request.userId())) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "Too many messages, slow down");
    }
    return bus.request(Messaging.MESSAGE_SEND, request);
  }
}
