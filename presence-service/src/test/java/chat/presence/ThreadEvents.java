package chat.presence;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import chat.shared.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Everything published to one {@code chat.thread.<id>}, in order, as a client registered there would see it. */
final class ThreadEvents implements AutoCloseable {
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final MessageConsumer<JsonObject> consumer;

  ThreadEvents(Vertx vertx, String threadId) {
    consumer = vertx.eventBus().consumer(Addresses.thread(threadId), msg -> events.add(msg.body()));
    Await.result(consumer.completion());
  }

  /** The next event, waiting at most {@code seconds}. */
  JsonObject next(long seconds) {
    try {
      JsonObject event = events.poll(seconds, TimeUnit.SECONDS);
      assertNotNull(event, "no event within " + seconds + " s");
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonObject next() {
    return next(5);
  }

  @Override
  public void close() {
    Await.result(consumer.unregister());
  }
}
