package chat.presence;

import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.eventbus.EventBus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes a store's {@link Changes} to {@code chat.thread.<id>}: {@code presence:update} and
 * {@code typing:update} with the full lists. Publishes only what the store reported as changed, and never
 * a list older than one already published for that thread (replies of concurrent store calls may
 * arrive out of order).
 */
final class PresencePublisher {
  private static final int TRACKED_THREADS = 10_000;

  private final EventBus bus;
  private final Map<String, Long> presenceVersions = versions();
  private final Map<String, Long> typingVersions = versions();
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

  private static boolean isNewer(Map<String, Long> versions, String threadId, long version) {
    Long last = versions.get(threadId);
    if (last != null && last >= version) {
      return false;
    }
    versions.put(threadId, version);
    return true;
  }

  private static Map<String, Long> versions() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > TRACKED_THREADS;
      }
    };
  }
}
