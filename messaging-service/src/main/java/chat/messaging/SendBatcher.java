package chat.messaging;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Groups concurrent work into batches without waiting for it: at most {@code maxInFlight} batches run at
 * once; what arrives meanwhile queues and leaves together as the next batch (at most {@code maxBatch}
 * items). A lone item leaves at once (no timer, no added latency); under load the batches grow by
 * themselves. Items with equal non-null keys never share a batch (the later one waits for the next).
 *
 * <p>Nothing waits without end: at most {@code maxQueue} items wait (beyond, a submit fails
 * {@code unavailable}), and an item whose deadline (epoch ms) has passed is never started: it fails
 * {@code unavailable} when a batch is taken or at the next {@link #expire} sweep, whichever comes first.
 *
 * <p>The executor must complete every item's promise; its returned future only says the batch is over.
 * Thread-safe (the lock guards the queue only, never a completion).
 */
final class SendBatcher<T, R> {
  /** An item waiting for, or in, a batch. */
  record Item<T, R>(T value, Promise<R> promise) {}

  private final int maxBatch;
  private final int maxInFlight;
  private final Function<T, Object> key;
  private final Function<List<Item<T, R>>, Future<?>> executor;
  private final int maxQueue;
  private final ToLongFunction<T> deadline;
  private final ArrayDeque<Item<T, R>> queue = new ArrayDeque<>();
  private final List<Item<T, R>> expired = new ArrayList<>();
  private int inFlight;

  SendBatcher(int maxBatch, int maxInFlight, Function<T, Object> key, Function<List<Item<T, R>>, Future<?>> executor) {
    this(maxBatch, maxInFlight, Integer.MAX_VALUE, v -> Long.MAX_VALUE, key, executor);
  }

  SendBatcher(int maxBatch, int maxInFlight, int maxQueue, ToLongFunction<T> deadline, Function<T, Object> key,
      Function<List<Item<T, R>>, Future<?>> executor) {
    this.maxBatch = Math.max(1, maxBatch);
    this.maxInFlight = Math.max(1, maxInFlight);
    this.maxQueue = Math.max(1, maxQueue);
    this.deadline = deadline;
    this.key = key;
    this.executor = executor;
  }

  Future<R> submit(T value) {
    Promise<R> promise = Promise.promise();
    List<Item<T, R>> batch;
    synchronized (this) {
      if (queue.size() >= maxQueue) {
        return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "Too many sends waiting, try again"));
      }
      queue.add(new Item<>(value, promise));
      batch = takeBatch();
    }
    failExpired();
    run(batch);
    return promise.future();
  }

  /** Fails every waiting item whose deadline has passed (called periodically). */
  void expire() {
    long now = System.currentTimeMillis();
    synchronized (this) {
      queue.removeIf(item -> {
        if (deadline.applyAsLong(item.value()) < now) {
          expired.add(item);
          return true;
        }
        return false;
      });
    }
    failExpired();
  }

  private void failExpired() {
    List<Item<T, R>> late;
    synchronized (this) {
      if (expired.isEmpty()) {
        return;
      }
      late = List.copyOf(expired);
      expired.clear();
    }
    ChatException notStarted = new ChatException(ErrorCode.UNAVAILABLE, "The send did not start in time; nothing was written");
    late.forEach(item -> item.promise().tryFail(notStarted));
  }

  private void run(List<Item<T, R>> batch) {
    while (batch != null) {
      Future<?> done;
      try {
        done = executor.apply(batch);
      } catch (RuntimeException e) {
        batch.forEach(item -> item.promise().tryFail(e));
        done = Future.succeededFuture();
      }
      if (!done.isComplete()) {
        List<Item<T, R>> running = batch;
        done.onComplete(ar -> {
          failLeftovers(running, ar.cause());
          run(finished());
        });
        failExpired();
        return;
      }
      failLeftovers(batch, done.cause());
      batch = finished();
    }
    failExpired();
  }

  private synchronized List<Item<T, R>> finished() {
    inFlight--;
    return takeBatch();
  }

  /** The next batch when a slot is free and work waits (the slot is taken), else null. Caller holds the lock. */
  private List<Item<T, R>> takeBatch() {
    if (inFlight >= maxInFlight || queue.isEmpty()) {
      return null;
    }
    List<Item<T, R>> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
    Set<Object> keys = null;
    long now = System.currentTimeMillis();
    for (Iterator<Item<T, R>> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
      Item<T, R> item = it.next();
      if (deadline.applyAsLong(item.value()) < now) {
        it.remove();
        expired.add(item);
        continue;
      }
      Object k = key.apply(item.value());
      if (k != null) {
        if (keys == null) {
          keys = new HashSet<>();
        }
        if (!keys.add(k)) {
          continue;
        }
      }
      it.remove();
      batch.add(item);
    }
    if (batch.isEmpty()) {
      return null;
    }
    inFlight++;
    return batch;
  }

  private static void failLeftovers(List<? extends Item<?, ?>> batch, Throwable cause) {
    for (Item<?, ?> item : batch) {
      if (!item.promise().future().isComplete()) {
        item.promise().tryFail(cause != null ? cause : new IllegalStateException("batch left an item unanswered"));
      }
    }
  }
}
