package chat.unread;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/** The events of one type that one connection registered on a bus address receives, in order. */
final class Inbox implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;

  private final LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final MessageConsumer<JsonObject> consumer;
  private int taken;

  private Inbox(Vertx vertx, String address, String type) {
    consumer = vertx.eventBus().consumer(address, msg -> {
      if (type.equals(msg.body().getString("type"))) {
        events.add(msg.body());
      }
    });
    TestChat.await(consumer.completion());
  }

  static Inbox open(Vertx vertx, String address, String type) {
    return new Inbox(vertx, address, type);
  }

  /** The next event, failing after a bounded wait. */
  JsonObject next() {
    return nextMatching(e -> true, "event");
  }

  /** Skips events until one matches, failing after a bounded wait. */
  JsonObject nextMatching(Predicate<JsonObject> wanted, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject e;
      try {
        e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(ie);
      }
      if (e == null) {
        return Assertions.fail("No " + what + " within " + WAIT_SECONDS + " s");
      }
      taken++;
      if (wanted.test(e)) {
        return e;
      }
    }
  }

  /** How many events were taken (matched or skipped) so far. */
  int taken() {
    return taken;
  }

  @Override
  public void close() {
    TestChat.await(consumer.unregister());
  }
}
