package chat.unread;

import io.vertx.core.json.JsonObject;

/** One entry of a badge: the user's unread count in one thread. */
public record ThreadUnread(String threadId, long unread) {
  public JsonObject toJson() {
    return new JsonObject().put("threadId", threadId).put("unread", unread);
  }
}
