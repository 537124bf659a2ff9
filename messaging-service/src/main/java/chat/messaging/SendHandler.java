package chat.messaging;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.SharedEvent;
import chat.shared.model.Events;
import chat.shared.model.Message;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#MESSAGE_SEND}: validates, stores atomically, then (only after the commit, and only
 * for a newly created message) publishes {@code message:new} to the thread and to every member's
 * user address, and tells unread-service and presence-service.
 */
final class SendHandler {
  private final EventBus bus;
  private final MessageStore store;
  private final Counter messagesSent = ChatMetrics.messagesSent();
  private final Counter published = ChatMetrics.eventsPublished(Events.MESSAGE_NEW);

  SendHandler(Vertx vertx, MessageStore store) {
    this.bus = vertx.eventBus();
    this.store = store;
  }

  Future<JsonObject> send(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String threadId = Requests.requireThreadId(req, "threadId");
    String body = Requests.messageBody(req, "body");
    String clientMessageId = Requests.optionalClientMessageId(req, "clientMessageId");
    return store.send(new MessageStore.NewMessage(threadId, userId, body, clientMessageId)).map(sent -> {
      JsonObject event = Events.messageNew(sent.message());
      if (sent.created()) {
        announce(sent, event);
      }
      return new JsonObject().put("message", event.getJsonObject("message")).put("created", sent.created());
    });
  }

  /**
   * The event is built once and published as a {@link SharedEvent}: every local consumer gets the same
   * instance (no copy per delivery) and the bridge encodes its frame once per address.
   */
  private void announce(MessageStore.Sent sent, JsonObject event) {
    Message m = sent.message();
    SharedEvent shared = new SharedEvent(event);
    bus.publish(Addresses.thread(m.threadId()), shared);
    for (String member : sent.memberIds()) {
      bus.publish(Addresses.user(member), shared);
    }
    messagesSent.increment();
    published.increment(1 + sent.memberIds().size());
    JsonArray memberIds = new JsonArray(sent.memberIds());
    bus.send(Addresses.EVENT_MESSAGE_SENT_UNREAD, new JsonObject()
        .put("threadId", m.threadId())
        .put("authorId", m.authorId())
        .put("seq", m.seq())
        .put("messageId", m.id())
        .put("memberIds", memberIds));
    bus.send(Addresses.EVENT_MESSAGE_SENT_PRESENCE, new JsonObject()
        .put("threadId", m.threadId())
        .put("authorId", m.authorId()));
  }
}
