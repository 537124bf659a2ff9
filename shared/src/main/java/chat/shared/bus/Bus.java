package chat.shared.bus;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply over the event bus with the system's error rules: every request has a bounded
 * timeout, and every failure comes back as a {@link ChatException}.
 */
public final class Bus {
  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  private final Vertx vertx;
  private final DeliveryOptions options;

  public Bus(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Sends a request and maps any failure (timeout, no handler, failed reply) to ChatException. */
  public Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(t -> Future.failedFuture(ChatException.from(t)));
  }

  /**
   * Registers a request handler: the handler's future becomes the reply; a failure becomes
   * {@code fail(status, errorBody)}. Bodies that are not JSON objects are refused as invalid.
   */
  public static MessageConsumer<Object> serve(
      Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().consumer(address, msg -> handle(msg, handler));
  }

  private static void handle(Message<Object> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      if (!(msg.body() instanceof JsonObject body)) {
        throw new ChatException(ErrorCode.INVALID_REQUEST, "Body must be a JSON object");
      }
      result = handler.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        fail(msg, ar.cause());
      }
    });
  }

  /** Fails a request with the catalogue's status and error body; unexpected errors are logged. */
  public static void fail(Message<?> msg, Throwable cause) {
    ChatException e = ChatException.from(cause);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("Unexpected failure on {}", msg.address(), cause);
    }
    msg.fail(e.failureCode(), e.toFailureMessage());
  }
}
