package chat.messaging;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.model.ThreadSummary;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Addresses#THREAD_CREATE} and {@link Addresses#THREAD_LIST}. After a thread is created,
 * {@code thread:added} goes to every member's user address (the creator's other devices included).
 */
final class ThreadHandler {
  static final int DEFAULT_LIST_LIMIT = 100;
  static final int MAX_LIST_LIMIT = 500;

  private final Vertx vertx;
  private final MessageStore store;
  private final Counter published = ChatMetrics.eventsPublished(Events.THREAD_ADDED);

  ThreadHandler(Vertx vertx, MessageStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  Future<JsonObject> create(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String title = Requests.title(req, "title");
    Set<String> distinct = new LinkedHashSet<>();
    distinct.add(userId);
    distinct.addAll(Requests.userIds(req, "memberIds"));
    List<String> members = List.copyOf(distinct);
    return store.createThread(userId, title, members).map(summary -> {
      JsonObject event = Events.threadAdded(summary);
      for (String member : members) {
        vertx.eventBus().publish(Addresses.user(member), event);
      }
      published.increment(members.size());
      return event.getJsonObject("thread");
    });
  }

  Future<JsonObject> list(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    Long limit = Requests.optionalLong(req, "limit");
    if (limit != null && (limit < 1 || limit > MAX_LIST_LIMIT)) {
      throw Requests.invalid("'limit' must be between 1 and " + MAX_LIST_LIMIT);
    }
    return store.listThreads(userId, limit == null ? DEFAULT_LIST_LIMIT : limit.intValue()).map(threads -> {
      JsonArray out = new JsonArray();
      for (ThreadSummary t : threads) {
        out.add(t.toJson());
      }
      return new JsonObject().put("threads", out);
    });
  }
}
