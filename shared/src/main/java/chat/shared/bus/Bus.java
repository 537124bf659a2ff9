package chat.shared.bus;

import chat.shared.ChatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus with the system's rules: bodies are records mapped to plain JSON objects at the edges
 * ({@link Bodies}), every request has a bounded timeout, and every failure comes back as a
 * {@link ChatException}. A handler registered here receives a valid record or never runs.
 */
public final class Bus {
  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  private final Vertx vertx;
  private final DeliveryOptions options;

  public Bus(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Sends a request and decodes the reply; any failure (timeout, no handler, failed reply) is a ChatException. */
  public <Q, R> Future<R> request(Endpoint<Q, R> endpoint, Q request) {
    return vertx.eventBus()
        .request(endpoint.address(), Bodies.encode(request), options)
        .recover(t -> Future.failedFuture(ChatException.from(t)))
        .map(reply -> Bodies.decode(reply.body(), endpoint.replyType()));
  }

  /**
   * A request with a raw JSON body and reply, as a node of another release or a tool sends it; the same
   * timeout and failure mapping as {@link #request(Endpoint, Object)}.
   */
  public Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(t -> Future.failedFuture(ChatException.from(t)));
  }

  /** Sends an event to one consumer of the topic, no reply. */
  public static <E> void send(Vertx vertx, Topic<E> topic, E event) {
    vertx.eventBus().send(topic.address(), Bodies.encode(event));
  }

  /** Publishes an event to every consumer of the topic. */
  public static <E> void publish(Vertx vertx, Topic<E> topic, E event) {
    vertx.eventBus().publish(topic.address(), Bodies.encode(event));
  }

  /**
   * Serves an endpoint: the body is decoded into the request record (a malformed one is refused with the
   * catalogue's error before the handler runs), the handler's record is the reply, a failure is
   * {@code fail(status, errorBody)}.
   */
  public static <Q, R> MessageConsumer<Object> serve(Vertx vertx, Endpoint<Q, R> endpoint, Function<Q, Future<R>> handler) {
    return vertx.eventBus().consumer(endpoint.address(), msg -> reply(msg, call(handler, msg.body(), endpoint.requestType())));
  }

  /** Consumes a topic's events; a malformed event is logged and dropped, the handler never sees it. */
  public static <E> MessageConsumer<Object> consume(Vertx vertx, Topic<E> topic, Consumer<E> handler) {
    return vertx.eventBus().consumer(topic.address(), msg -> {
      E event;
      try {
        event = Bodies.decode(msg.body(), topic.eventType());
      } catch (ChatException e) {
        LOG.warn("Dropped a malformed {} event: {}", topic.address(), e.getMessage());
        return;
      }
      handler.accept(event);
    });
  }

  /** Decodes the body and runs the handler; a refusal or a throw becomes a failed future. */
  public static <Q, R> Future<R> call(Function<Q, Future<R>> handler, Object body, Class<Q> type) {
    try {
      return handler.apply(Bodies.decode(body, type));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void reply(Message<Object> msg, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(Bodies.encode(ar.result()));
      } else {
        ChatException e = Failures.of(ar.cause(), msg.address());
        msg.fail(e.failureCode(), Failures.ERROR_BODY.message(e));
      }
    });
  }
}
