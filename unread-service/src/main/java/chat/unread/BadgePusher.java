package chat.unread;

import chat.shared.bus.BrowserEvents;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes {@code unread:update} to {@code chat.user.<id>} after sends, deletes and reads, coalesced.
 *
 * <p>Each send marks its (member, thread) pairs dirty, except the author's unless their marker jumped over
 * others' messages (see {@code MessageSent#authorHadUnread}); each delete marks those of
 * the members who had not read the message; each read marks the reader's. Every push of this service
 * comes from here, so the last push a pair receives is from a flush that began after its last change
 * (a read pushed on its own could be overtaken by an older flush still in flight). The first dirty pair
 * opens a window of {@code flushMs}; when it closes, the unread of every dirty pair (and each user's
 * total) is read from the store in one query, and one update per pair is published. The values are
 * read at flush time, so every update is exact as of its flush; a pair dirtied again while a flush
 * runs is flushed again afterwards. Flushes run one at a time, so a user never receives an older
 * value after a newer one from this pusher. The dirty set is bounded: at {@code maxDirty} pairs a
 * flush starts at once; a query covers at most {@code chunkSize} pairs, and the pairs left over by a
 * chunked flush are flushed right after it, without waiting for a new window.
 *
 * <p>Confined to the event loop of the verticle that owns it.
 */
final class BadgePusher {
  private static final Logger LOG = LoggerFactory.getLogger(BadgePusher.class);
  private static final long RETRY_MS = 1000;

  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final UnreadStore store;
  private final long flushMs;
  private final int maxDirty;
  private final int chunkSize;
  private final Counter published = ChatMetrics.eventsPublished(Events.UNREAD_UPDATE);
  private LinkedHashSet<UserThread> dirty = new LinkedHashSet<>();
  private long timerId = -1;
  private boolean flushing;
  private boolean backlog;
  private boolean failing;
  private Promise<Void> drained;

  BadgePusher(Vertx vertx, BrowserEvents browsers, UnreadStore store, long flushMs, int maxDirty, int chunkSize) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
    this.flushMs = Math.max(1, flushMs);
    this.maxDirty = maxDirty;
    this.chunkSize = chunkSize;
  }

  /** A message was committed in {@code threadId}: every member but the author may have a new count. */
  void messageSent(String threadId, String authorId, Collection<String> memberIds) {
    for (String memberId : memberIds) {
      if (!memberId.equals(authorId)) {
        dirty.add(new UserThread(memberId, threadId));
      }
    }
    afterDirty();
  }

  /** The counts of {@code userIds} in {@code threadId} may have changed (a delete, a read). */
  void changed(String threadId, Collection<String> userIds) {
    for (String memberId : userIds) {
      dirty.add(new UserThread(memberId, threadId));
    }
    afterDirty();
  }

  private void afterDirty() {
    if (dirty.size() >= maxDirty && !failing) {
      flush();
    } else if (!dirty.isEmpty() && !flushing) {
      schedule(flushMs);
    }
  }

  /** Flushes everything still dirty (used on undeploy); completes when nothing is left. */
  Future<Void> drain() {
    if (dirty.isEmpty() && !flushing) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    Future<Void> result = drained.future();
    flush();
    return result;
  }

  private void flush() {
    if (flushing || dirty.isEmpty()) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    flushing = true;
    List<UserThread> batch = take(chunkSize);
    backlog = !dirty.isEmpty();
    store.unreadFor(batch).onComplete(ar -> {
      flushing = false;
      failing = ar.failed();
      if (ar.succeeded()) {
        for (PairUnread p : ar.result()) {
          browsers.toUser(p.userId(), p.toEvent());
        }
        published.increment(ar.result().size());
      } else {
        LOG.warn("Badge flush of {} pairs failed, retrying in {} ms: {}",
            batch.size(), Math.max(flushMs, RETRY_MS), ar.cause().getMessage());
        batch.forEach(dirty::add);
      }
      afterFlush(ar.succeeded());
    });
  }

  private void afterFlush(boolean succeeded) {
    if (drained != null && (dirty.isEmpty() || !succeeded)) {
      drained.tryComplete();
      drained = null;
    }
    if (dirty.isEmpty()) {
      return;
    }
    if (succeeded && (backlog || dirty.size() >= maxDirty || drained != null)) {
      flush();
    } else {
      schedule(succeeded ? flushMs : Math.max(flushMs, RETRY_MS));
    }
  }

  private void schedule(long delayMs) {
    if (timerId < 0) {
      timerId = vertx.setTimer(delayMs, id -> {
        timerId = -1;
        flush();
      });
    }
  }

  private List<UserThread> take(int max) {
    if (dirty.size() <= max) {
      List<UserThread> all = new ArrayList<>(dirty);
      dirty = new LinkedHashSet<>();
      return all;
    }
    List<UserThread> some = new ArrayList<>(max);
    Iterator<UserThread> it = dirty.iterator();
    while (some.size() < max) {
      some.add(it.next());
      it.remove();
    }
    return some;
  }
}
