package chat.unread;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A user's unread badge: the threads with unread > 0 (a thread not listed has 0) and the total.
 */
public record Badge(List<ThreadUnread> byThread, long total) {

  /** {@code {byThread:[{threadId,unread}],total}}, the contract's shape. */
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    byThread.forEach(t -> items.add(t.toJson()));
    return new JsonObject().put("byThread", items).put("total", total);
  }
}
