package chat.presence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires typing every {@value #TICK_MS} ms and silent gateways every {@value #GATEWAY_EVERY_TICKS}
 * ticks, publishing what expired. Safe to run in every instance: the store reports each expiry once.
 * A tick is skipped while the previous one is still running (e.g. while Redis is away).
 */
final class PresenceSweeper {
  static final long TICK_MS = 250;
  static final int GATEWAY_EVERY_TICKS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(PresenceSweeper.class);

  private final Vertx vertx;
  private final PresenceStore store;
  private final PresencePublisher publisher;
  private final Clock clock;
  private long timerId = -1;
  private long ticks;
  private boolean running;

  PresenceSweeper(Vertx vertx, PresenceStore store, PresencePublisher publisher, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.publisher = publisher;
    this.clock = clock;
  }

  void start() {
    timerId = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timerId);
  }

  private void tick() {
    if (running) {
      return;
    }
    running = true;
    long now = clock.millis();
    Future<Changes> swept = ticks++ % GATEWAY_EVERY_TICKS == 0 ? store.sweep(now) : store.sweepTyping(now);
    swept.onComplete(ar -> {
      running = false;
      if (ar.succeeded()) {
        publisher.publish(ar.result());
      } else {
        LOG.debug("Sweep failed: {}", ar.cause().getMessage());
      }
    });
  }
}
