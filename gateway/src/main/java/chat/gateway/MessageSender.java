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
 *
 * <p>A 503 promises that nothing was written: the request carries a deadline (three fifths of the bus timeout
 * from now) after which messaging never starts it, and messaging answers well before the bus timeout. When the
 * gateway's own wait runs out anyway, messaging may still commit, so the answer is
 * {@code send_outcome_unknown} (504): a retry with the same {@code clientMessageId} tells.
 */
public final class MessageSender {
  private final TimedBus bus;
  private final Limiter sends;
  private final long startWithinMs;

  MessageSender(TimedBus bus, Limiter sends, long busTimeoutMs) {
    this.bus = bus;
    this.sends = sends;
    this.startWithinMs = busTimeoutMs * 3 / 5;
  }

  public Future<SendResult> send(SendMessage request) {
    return sends.require(request.userId(), "Too many messages, slow down")
        .compose(v -> bus.request(Messaging.MESSAGE_SEND, request.withDeadline(System.currentTimeMillis() + startWithinMs)))
        .recover(t -> Future.failedFuture(t instanceof ChatException e && e.code() == ErrorCode.UNAVAILABLE
            && ChatException.NO_ANSWER_IN_TIME.equals(e.getMessage())
            ? new ChatException(ErrorCode.SEND_OUTCOME_UNKNOWN) : t));
  }

  public Future<Edited> edit(EditMessage request) {
    return acquire(request.userId()).compose(v -> bus.request(Messaging.MESSAGE_EDIT, request));
  }

  public Future<Deleted> delete(DeleteMessage request) {
    return acquire(request.userId()).compose(v -> bus.request(Messaging.MESSAGE_DELETE, request));
  }

  private Future<Void> acquire(String userId) {
    return sends.require(userId, "Too many changes, slow down");
  }
}
