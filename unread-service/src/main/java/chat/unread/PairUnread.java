package chat.unread;

import chat.shared.model.Events;
import io.vertx.core.json.JsonObject;

/** A user's unread in one thread, with the user's total over all their threads, read together. */
public record PairUnread(String userId, String threadId, long unread, long total) {

  /** The {@code unread:update} event for this user's devices. */
  public JsonObject toEvent() {
    return Events.unreadUpdate(threadId, unread, total);
  }
}
