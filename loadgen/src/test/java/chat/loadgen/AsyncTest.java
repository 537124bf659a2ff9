package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AsyncTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("Setup calls run with at most the given number in flight and results keep their order")
  void boundedAndOrdered() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Integer> out = Async.map(50, 4, i -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Promise<Integer> p = Promise.promise();
      vertx.setTimer(1 + (i % 3), t -> {
        inFlight.decrementAndGet();
        p.complete(i * 2);
      });
      return p.future();
    }).await();
    assertEquals(50, out.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i * 2, out.get(i));
    }
    assertTrue(peak.get() <= 4, "peak " + peak.get());
  }

  @Test
  @DisplayName("A failing setup call fails the whole step instead of hanging it")
  void failsFast() {
    assertThrows(Exception.class, () -> Async.map(10, 3, i -> i == 4 ? Future.failedFuture("boom") : Future.succeededFuture(i)).await());
    assertEquals(List.of(), Async.map(0, 3, i -> Future.succeededFuture(i)).await());
  }
}
