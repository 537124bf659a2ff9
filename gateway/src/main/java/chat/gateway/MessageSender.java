package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.DeleteMessage;
import chat.shared.protocol.Messaging.Deleted;
import chat.shared.protocol.Messaging.EditMessage;
import chat.shared.protocol.Messaging.Edited;
import chat.shared.protocol.Messaging.SendMessage;
import chat.shared.protocol.Messaging.SendResult;
import io.vertx.core.Future;

/**
 * Sends a message for an authenticated user, the same way over HTTP and the bridge: applies the user's
 * send rate (one bucket for both ways in) and calls messaging. {@code created:false} in the result means
 * an idempotent replay of an earlier send. Edits and deletes draw on the same bucket: each fans out to
 * the thread like a send.
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

  public Future<Edited> edit(EditMessage request) {
    acquire(request.userId());
    return bus.request(Messaging.MESSAGE_EDIT, request);
  }

  public Future<Deleted> delete(DeleteMessage request) {
    acquire(request.userId());
    return bus.request(Messaging.MESSAGE_DELETE, request);
  }

  private void acquire(String userId) {
    if (!sends.tryAcquire(userId)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "Too many changes, slow down");
    }
  }
}
