package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Message;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.MessageSent;
import chat.shared.protocol.Messaging.SendMessage;
import chat.shared.protocol.Messaging.SendResult;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@link Messaging#MESSAGE_SEND}: stores atomically, then (only after the commit, and only for a newly
 * created message) publishes {@code message:new} to the thread and to every member's user address and
 * {@link ApiV1#MESSAGE_SENT} to services, and tells unread-service and presence-service.
 */
final class SendHandler {
  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final MessageStore store;
  private final Counter messagesSent = ChatMetrics.messagesSent();
  private final Counter published = ChatMetrics.eventsPublished(Events.MESSAGE_NEW);

  SendHandler(Vertx vertx, BrowserEvents browsers, MessageStore store) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
    store.onLateCommit(this::announce);
  }

  Future<SendResult> send(SendMessage req) {
    long deadline = req.deadlineMs() == null ? Long.MAX_VALUE : req.deadlineMs();
    MessageStore.NewMessage message = new MessageStore.NewMessage(req.threadId(), req.userId(), req.body(),
        req.clientMessageId(), req.via(), deadline, req.attachmentIds());
    return store.send(message)
        .map(sent -> {
          if (sent.created()) {
            announce(sent);
          }
          return new SendResult(sent.message(), sent.created());
        });
  }

  private void announce(MessageStore.Sent sent) {
    Message m = sent.message();
    JsonObject event = Events.messageNew(m);
    browsers.toThreadAndUsers(m.threadId(), sent.memberIds(), event);
    // v1's message.sent is {threadId, message} (ApiV1.MessageSent): the message already encoded for message:new, not a second encoding per send
    vertx.eventBus().publish(ApiV1.EVENT_MESSAGE_SENT,
        new JsonObject().put("threadId", m.threadId()).put("message", event.getJsonObject("message")));
    messagesSent.increment();
    published.increment(1 + sent.memberIds().size());
    MessageSent fact = new MessageSent(m.threadId(), m.authorId(), m.seq(), m.id(), sent.memberIds(),
        sent.authorHadUnread());
    Bus.send(vertx, Messaging.MESSAGE_SENT_UNREAD, fact);
    Bus.send(vertx, Messaging.MESSAGE_SENT_PRESENCE,
        new MessageSent(m.threadId(), m.authorId(), m.seq(), m.id(), List.of(), false));
  }
}
