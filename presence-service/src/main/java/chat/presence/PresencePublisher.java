package chat.presence;

import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.eventbus.EventBus;

/**
 * Publishes a store's {@link Changes} to {@code chat.thread.<id>}: {@code presence:update} and
 * {@code typing:update} with the full lists. Publishes only what the store reported as changed, and never
 * a list older than one already published for that thread (replies of concurrent store calls may
 * arrive out of order). The last version is remembered for at most {@value #TRACKED_THREADS} threads
 * per kind (beyond that Caffeine's size policy forgets some; a forgotten thread's next list is published).
 */
final class PresencePublisher {
  static final int TRACKED_THREADS = 10_000;

  private final EventBus bus;
  private final Cache<String, Long> presenceVersions = versions();
  private final Cache<String, Long> typingVersions = versions();
  private final Counter presenceUpdates = ChatMetrics.eventsPublished(Events.PRESENCE_UPDATE);
  private final Counter typingUpdates = ChatMetrics.eventsPublished(Events.TYPING_UPDATE);

  PresencePublisher(EventBus bus) {
    this.bus = bus;
  }

  void publish(Changes changes) {
    if (changes.isEmpty()) {
      return;
    }
    changes.presence().forEach((threadId, users) -> {
      if (isNewer(presenceVersions, threadId, changes.version())) {
        bus.publish(Addresses.thread(threadId), Events.presenceUpdate(threadId, users));
        presenceUpdates.increment();
      }
    });
    changes.typing().forEach((threadId, users) -> {
      if (isNewer(typingVersions, threadId, changes.version())) {
        bus.publish(Addresses.thread(threadId), Events.typingUpdate(threadId, users));
        typingUpdates.increment();
      }
    });
  }

  private static boolean isNewer(Cache<String, Long> versions, String threadId, long version) {
    boolean[] newer = {false};
    versions.asMap().compute(threadId, (id, last) -> {
      if (last != null && last >= version) {
        return last;
      }
      newer[0] = true;
      return version;
    });
    return newer[0];
  }

  /** The threads whose presence version is remembered now, after pending evictions (for tests). */
  long trackedPresenceThreads() {
    presenceVersions.cleanUp();
    return presenceVersions.estimatedSize();
  }

  private static Cache<String, Long> versions() {
    // Eviction runs on the caller's thread, not in ForkJoinPool's common pool, so no work leaves the event loop.
    return Caffeine.newBuilder().maximumSize(TRACKED_THREADS).executor(Runnable::run).build();
  }
}
