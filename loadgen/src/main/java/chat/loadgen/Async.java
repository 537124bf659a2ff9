package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Bounded-concurrency loops over asynchronous tasks. */
public final class Async {
  private Async() {}

  /**
   * Runs {@code task(0..count-1)} with at most {@code concurrency} in flight; the results in index order.
   * Fails with the first failure (tasks already started finish, no new ones start).
   */
  public static <T> Future<List<T>> map(int count, int concurrency, IntFunction<Future<T>> task) {
    Promise<List<T>> done = Promise.promise();
    List<T> results = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(count, null)));
    if (count == 0) {
      return Future.succeededFuture(List.of());
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable[] lane = new Runnable[1];
    lane[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count || failed.get()) {
        return;
      }
      Future<T> f;
      try {
        f = task.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          if (failed.compareAndSet(false, true)) {
            done.tryFail(ar.cause());
          }
          return;
        }
        results.set(i, ar.result());
        if (finished.incrementAndGet() == count) {
          done.tryComplete(new ArrayList<>(results));
        } else {
          lane[0].run();
        }
      });
    };
    for (int l = 0; l < Math.min(concurrency, count); l++) {
      lane[0].run();
    }
    return done.future();
  }

  public static Future<Void> forEach(int count, int concurrency, IntFunction<Future<?>> task) {
    return map(count, concurrency, i -> task.apply(i).map(x -> (Object) null)).mapEmpty();
  }
}
