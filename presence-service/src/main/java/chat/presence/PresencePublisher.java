package chat.presence;

import chat.shared.bus.BrowserEvents;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Publishes a store's {@link Changes} to {@code chat.thread.<id>}: {@code presence:update} and
 * {@code typing:update} with the full lists. Publishes only what the store reported as changed, and never
 * a list older than one already published for that thread (replies of concurrent store calls may
 * arrive out of order).
 *
 * <p>Changes of one thread's list coalesce: at most one update per {@value #COALESCE_MS} ms per thread and
 * kind. A change after a quiet spell goes out at once; changes within the spell wait for its end and only
 * the latest list goes out then (even if equal to the last one this instance sent: another instance
 * sharing the store may have published since). So a user toggling join and
 * leave as fast as they can costs every other member at most a few updates a second, whatever the rate.
 * The state is remembered for at most {@value #TRACKED_THREADS} threads per kind (beyond that Caffeine's
 * size policy forgets some; a forgotten thread's next list is published).
 */
final class PresencePublisher {
  static final int TRACKED_THREADS = 10_000;
  /** The shortest spacing of two updates of one thread's list. */
  static final long COALESCE_MS = 200;

  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final Stream presence;
  private final Stream typing;

  PresencePublisher(Vertx vertx, BrowserEvents browsers) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.presence = new Stream(Events::presenceUpdate, ChatMetrics.eventsPublished(Events.PRESENCE_UPDATE));
    this.typing = new Stream(Events::typingUpdate, ChatMetrics.eventsPublished(Events.TYPING_UPDATE));
  }

  void publish(Changes changes) {
    if (changes.isEmpty()) {
      return;
    }
    changes.presence().forEach((threadId, users) -> presence.offer(threadId, changes.version(), users));
    changes.typing().forEach((threadId, users) -> typing.offer(threadId, changes.version(), users));
  }

  /** The threads whose presence state is remembered now, after pending evictions (for tests). */
  long trackedPresenceThreads() {
    presence.threads.cleanUp();
    return presence.threads.estimatedSize();
  }

  /** One thread's list of one kind: the newest version seen, what went out last and when, what waits. */
  private static final class ThreadState {
    long version;
    long sentAtMs = Long.MIN_VALUE / 2;
    List<String> pending;
    boolean flushScheduled;
  }

  /** The updates of one kind (presence or typing). */
  private final class Stream {
    final BiFunction<String, List<String>, JsonObject> event;
    final Counter published;
    // Eviction runs on the caller's thread, not in ForkJoinPool's common pool, so no work leaves the event loop.
    final Cache<String, ThreadState> threads =
        Caffeine.newBuilder().maximumSize(TRACKED_THREADS).executor(Runnable::run).build();

    Stream(BiFunction<String, List<String>, JsonObject> event, Counter published) {
      this.event = event;
      this.published = published;
    }

    void offer(String threadId, long version, List<String> users) {
      ThreadState s = threads.get(threadId, k -> new ThreadState());
      long now = nowMs();
      synchronized (s) {
        if (version <= s.version) {
          return;
        }
        s.version = version;
        if (!s.flushScheduled && now - s.sentAtMs >= COALESCE_MS) {
          send(threadId, s, users, now);
          return;
        }
        s.pending = users;
        if (!s.flushScheduled) {
          s.flushScheduled = true;
          vertx.setTimer(Math.max(1, s.sentAtMs + COALESCE_MS - now), id -> flush(threadId, s));
        }
      }
    }

    private void flush(String threadId, ThreadState s) {
      synchronized (s) {
        s.flushScheduled = false;
        List<String> latest = s.pending;
        s.pending = null;
        if (latest != null) {
          send(threadId, s, latest, nowMs());
        }
      }
    }

    /**
     * Publishes the list, even one equal to the last this instance sent: another instance sharing the store
     * may have published a different list for the thread since, so a repeat is the only safe answer.
     */
    private void send(String threadId, ThreadState s, List<String> users, long now) {
      s.sentAtMs = now;
      browsers.toThread(threadId, event.apply(threadId, users));
      published.increment();
    }
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }
}
