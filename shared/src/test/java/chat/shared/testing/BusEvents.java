package chat.shared.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The events one consumer registered on a bus address receives, in order, as a client there would see them
 * (a browser address under any {@code BUS_ROUTING}: {@link BrowserFeed}).
 * Each {@code next} takes events in arrival order: as a {@link Future} to flag a checkpoint with, or blocking
 * with a bound.
 */
public final class BusEvents implements AutoCloseable {
  private record Waiter(Predicate<JsonObject> wanted, Promise<JsonObject> promise) {}

  private final BrowserFeed feed;
  private final List<JsonObject> events = new ArrayList<>();
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private int taken;

  private BusEvents(Vertx vertx, String address, Predicate<JsonObject> keep) {
    feed = BrowserFeed.open(vertx, address, body -> {
      if (keep.test(body)) {
        synchronized (this) {
          events.add(body);
        }
        drain();
      }
    });
  }

  /** Every event on {@code address}. */
  public static BusEvents open(Vertx vertx, String address) {
    return new BusEvents(vertx, address, e -> true);
  }

  /** The events on {@code address} whose {@code type} is {@code type}; others are not seen at all. */
  public static BusEvents open(Vertx vertx, String address, String type) {
    return new BusEvents(vertx, address, e -> type.equals(e.getString("type")));
  }

  /** The next event not yet taken. */
  public Future<JsonObject> nextEvent() {
    return nextEvent(e -> true);
  }

  /** The next event that matches, taking (skipping) the ones before it. */
  public Future<JsonObject> nextEvent(Predicate<JsonObject> wanted) {
    Promise<JsonObject> promise = Promise.promise();
    synchronized (this) {
      waiters.add(new Waiter(wanted, promise));
    }
    drain();
    return promise.future();
  }

  /** The next event, failing after {@code seconds}. */
  public JsonObject next(long seconds) {
    return await(nextEvent(), seconds, "event");
  }

  public JsonObject next() {
    return next(Await.TIMEOUT_SECONDS);
  }

  /** Skips events until one matches, failing after a bounded wait that names {@code what}. */
  public JsonObject nextMatching(Predicate<JsonObject> wanted, String what) {
    return await(nextEvent(wanted), Await.TIMEOUT_SECONDS, what);
  }

  /** How many events were taken (matched or skipped) so far. */
  public synchronized int taken() {
    return taken;
  }

  @Override
  public void close() {
    feed.close();
  }

  private void drain() {
    List<Runnable> completions = new ArrayList<>();
    synchronized (this) {
      while (!waiters.isEmpty() && taken < events.size()) {
        JsonObject event = events.get(taken++);
        Waiter waiter = waiters.peek();
        if (waiter.wanted().test(event)) {
          waiters.poll();
          completions.add(() -> waiter.promise().tryComplete(event));
        }
      }
    }
    completions.forEach(Runnable::run);
  }

  private JsonObject await(Future<JsonObject> next, long seconds, String what) {
    try {
      return next.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      synchronized (this) {
        waiters.removeIf(w -> w.promise().future() == next);
      }
      throw new AssertionError("No " + what + " within " + seconds + " s", e);
    }
  }
}
