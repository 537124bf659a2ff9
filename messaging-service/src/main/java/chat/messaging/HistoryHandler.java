package chat.messaging;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.model.Message;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#MESSAGE_HISTORY}: a page by seq, oldest first. {@code afterSeq} pages forward
 * (the first {@code limit} messages above it), {@code beforeSeq} alone pages backward (the
 * {@code limit} messages just below it), neither gives the newest page, both a range read forward
 * from {@code afterSeq}. {@code hasMore} says more exist in the paging direction.
 */
final class HistoryHandler {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private final MessageStore store;

  HistoryHandler(MessageStore store) {
    this.store = store;
  }

  Future<JsonObject> history(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String threadId = Requests.requireThreadId(req, "threadId");
    Long beforeSeq = seq(req, "beforeSeq");
    Long afterSeq = seq(req, "afterSeq");
    Long limit = Requests.optionalLong(req, "limit");
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw Requests.invalid("'limit' must be between 1 and " + MAX_LIMIT);
    }
    int pageSize = limit == null ? DEFAULT_LIMIT : limit.intValue();
    return store.history(new MessageStore.HistoryQuery(threadId, userId, afterSeq, beforeSeq, pageSize))
        .map(page -> {
          JsonArray messages = new JsonArray();
          for (Message m : page.messages()) {
            messages.add(m.toJson());
          }
          return new JsonObject().put("messages", messages).put("hasMore", page.hasMore());
        });
  }

  private static Long seq(JsonObject req, String field) {
    Long v = Requests.optionalLong(req, field);
    if (v != null && v < 0) {
      throw Requests.invalid("'" + field + "' must not be negative");
    }
    return v;
  }
}
