package chat.gateway;

import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.Attachment;
import chat.shared.protocol.Messaging.PurgedAttachments;
import chat.shared.protocol.Messaging.SweepAttachments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the bytes of deleted attachments (of deleted messages, and uploads never sent within a day), every
 * {@code ATTACHMENT_SWEEP_SECONDS}. Messaging marks them and lists them; bytes are removed first and the
 * records marked purged after, so a crash in between only repeats a removal (idempotent). Several gateways
 * may sweep at once for the same reason.
 */
final class AttachmentSweeper {
  static final long UNSENT_MAX_AGE_SECONDS = 24 * 3600;
  private static final int BATCH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(AttachmentSweeper.class);
  private final Vertx vertx;
  private final TimedBus bus;
  private final AttachmentStore store;
  private final long periodMs;
  private long timer = -1;
  private boolean running;

  AttachmentSweeper(Vertx vertx, TimedBus bus, AttachmentStore store, int periodSeconds) {
    this.vertx = vertx;
    this.bus = bus;
    this.store = store;
    this.periodMs = periodSeconds * 1000L;
  }

  synchronized void start() {
    if (timer < 0) {
      timer = vertx.setPeriodic(periodMs, id -> sweep());
    }
  }

  synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** One pass (skipped while one runs); completes with how many files were removed. */
  Future<Integer> sweep() {
    synchronized (this) {
      if (running) {
        return Future.succeededFuture(0);
      }
      running = true;
    }
    return bus.request(Messaging.ATTACHMENT_SWEEP, new SweepAttachments(UNSENT_MAX_AGE_SECONDS, BATCH))
        .compose(doomed -> {
          List<Future<String>> removals = new ArrayList<>();
          for (Attachment a : doomed.attachments()) {
            removals.add(store.delete(a.storageKey()).map(a.id()));
          }
          return Future.join(removals).transform(ar -> {
            List<String> removed = removals.stream().filter(Future::succeeded).map(Future::result).toList();
            return removed.isEmpty() ? Future.succeededFuture(0)
                : bus.request(Messaging.ATTACHMENT_PURGED, new PurgedAttachments(removed)).map(p -> removed.size());
          });
        })
        .onFailure(err -> LOG.warn("Attachment sweep failed, will retry: {}", err.getMessage()))
        .onComplete(ar -> {
          synchronized (this) {
            running = false;
          }
        });
  }
}
