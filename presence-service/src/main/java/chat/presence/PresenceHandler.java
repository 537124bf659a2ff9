package chat.presence;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Serves presence-service's internal addresses (called by gateways, which have already authenticated the
 * user, checked membership and throttled typing) and its two events: decode, validate, call the store,
 * publish what changed, reply.
 */
final class PresenceHandler {
  private static final int MAX_ID_CHARS = 128;
  private static final JsonObject OK = new JsonObject().put("ok", true);

  private final PresenceStore store;
  private final PresencePublisher publisher;

  PresenceHandler(PresenceStore store, PresencePublisher publisher) {
    this.store = store;
    this.publisher = publisher;
  }

  List<MessageConsumer<Object>> register(Vertx vertx) {
    return List.of(
        Bus.serve(vertx, Addresses.PRESENCE_JOIN, this::join),
        Bus.serve(vertx, Addresses.PRESENCE_LEAVE, this::leave),
        Bus.serve(vertx, Addresses.PRESENCE_DISCONNECT, this::disconnect),
        Bus.serve(vertx, Addresses.PRESENCE_TYPING_START, this::typingStart),
        Bus.serve(vertx, Addresses.PRESENCE_TYPING_STOP, this::typingStop),
        Bus.serve(vertx, Addresses.PRESENCE_HEARTBEAT, this::heartbeat),
        Bus.serve(vertx, Addresses.EVENT_MESSAGE_SENT_PRESENCE, this::messageSent),
        Bus.serve(vertx, Addresses.EVENT_MEMBER_REMOVED, this::memberRemoved));
  }

  private Future<JsonObject> join(JsonObject body) {
    return store.join(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "userId"),
            id(body, "connectionId"), id(body, "gatewayId"))
        .map(joined -> {
          publisher.publish(joined.changes());
          return new JsonObject()
              .put("onlineUserIds", new JsonArray(joined.snapshot().onlineUserIds()))
              .put("typingUserIds", new JsonArray(joined.snapshot().typingUserIds()));
        });
  }

  private Future<JsonObject> leave(JsonObject body) {
    return ok(store.leave(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "userId"),
        id(body, "connectionId")));
  }

  private Future<JsonObject> disconnect(JsonObject body) {
    return ok(store.disconnect(id(body, "connectionId")));
  }

  private Future<JsonObject> typingStart(JsonObject body) {
    return ok(store.typingStart(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "userId")));
  }

  private Future<JsonObject> typingStop(JsonObject body) {
    return ok(store.typingStop(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "userId")));
  }

  private Future<JsonObject> heartbeat(JsonObject body) {
    return store.heartbeat(id(body, "gatewayId")).map(known -> OK.copy().put("known", known));
  }

  private Future<JsonObject> messageSent(JsonObject body) {
    return ok(store.typingStop(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "authorId")));
  }

  private Future<JsonObject> memberRemoved(JsonObject body) {
    return ok(store.removeMember(Requests.requireThreadId(body, "threadId"), Requests.requireUserId(body, "userId")));
  }

  private Future<JsonObject> ok(Future<Changes> changes) {
    return changes.map(c -> {
      publisher.publish(c);
      return OK;
    });
  }

  private static String id(JsonObject body, String field) {
    String id = Requests.requireString(body, field);
    if (id.isBlank() || id.length() > MAX_ID_CHARS) {
      throw Requests.invalid("'" + field + "' must be 1-" + MAX_ID_CHARS + " characters");
    }
    return id;
  }
}
