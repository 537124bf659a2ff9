package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Message;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.DeleteMessage;
import chat.shared.protocol.Messaging.Deleted;
import chat.shared.protocol.Messaging.EditMessage;
import chat.shared.protocol.Messaging.Edited;
import chat.shared.protocol.Messaging.MessageDeleted;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@link Messaging#MESSAGE_EDIT} and {@link Messaging#MESSAGE_DELETE}: change atomically, then (only
 * after the commit, and only when something changed) publish {@code message:updated} or
 * {@code message:deleted} to the thread. Members' user addresses get the event too when the message is
 * the thread's newest, the one a thread list previews (older ones are in no list). A delete tells
 * unread-service whose badges fell.
 */
final class ChangeHandler {
  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final MessageStore store;
  private final Counter updated = ChatMetrics.eventsPublished(Events.MESSAGE_UPDATED);
  private final Counter deleted = ChatMetrics.eventsPublished(Events.MESSAGE_DELETED);

  ChangeHandler(Vertx vertx, BrowserEvents browsers, MessageStore store) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
  }

  Future<Edited> edit(EditMessage req) {
    return store.edit(req.userId(), req.threadId(), req.messageId(), req.body()).map(change -> {
      if (change.changed()) {
        publish(change, Events.messageUpdated(change.message()), updated);
        Bus.publish(vertx, ApiV1.MESSAGE_EDITED, new ApiV1.MessageEdited(change.message().threadId(), change.message()));
      }
      return new Edited(change.message(), change.changed());
    });
  }

  Future<Deleted> delete(DeleteMessage req) {
    return store.delete(req.userId(), req.threadId(), req.messageId()).map(change -> {
      if (change.changed()) {
        Message m = change.message();
        publish(change, Events.messageDeleted(m.threadId(), m.id(), m.seq()), deleted);
        Bus.publish(vertx, ApiV1.MESSAGE_DELETED, new ApiV1.MessageDeleted(m.threadId(), m.id(), m.seq()));
        if (!change.unreadBy().isEmpty()) {
          Bus.send(vertx, Messaging.MESSAGE_DELETED_UNREAD,
              new MessageDeleted(m.threadId(), m.id(), m.seq(), change.unreadBy()));
        }
      }
      return new Deleted(change.changed());
    });
  }

  private void publish(MessageStore.Changed change, JsonObject event, Counter counter) {
    String threadId = change.message().threadId();
    if (change.newest()) {
      browsers.toThreadAndUsers(threadId, change.memberIds(), event);
      counter.increment(1 + change.memberIds().size());
    } else {
      browsers.toThread(threadId, event);
      counter.increment();
    }
  }
}
