package chat.presence;

import chat.api.v1.ApiV1;
import chat.api.v1.ApiV1.GetPresence;
import chat.api.v1.ApiV1.PresenceReply;
import chat.shared.bus.Bus;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.CheckMember;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * presence-service's part of the service API: {@link ApiV1#GET_PRESENCE}. Only a member reads a thread's
 * presence, as through the gateway; presence keeps no memberships, so messaging-service is asked first
 * ({@code not_member}, {@code thread_not_found}, or {@code unavailable} when it does not answer).
 */
final class ApiV1Presence {
  private final PresenceStore store;
  private final Bus bus;

  ApiV1Presence(PresenceStore store, Bus bus) {
    this.store = store;
    this.bus = bus;
  }

  MessageConsumer<Object> register(Vertx vertx) {
    return Bus.serve(vertx, ApiV1.GET_PRESENCE, this::presence);
  }

  Future<PresenceReply> presence(GetPresence req) {
    return bus.request(Messaging.MEMBER_CHECK, new CheckMember(req.userId(), req.threadId()))
        .compose(role -> store.snapshot(req.threadId()))
        .map(s -> new PresenceReply(req.threadId(), s.onlineUserIds(), s.typingUserIds()));
  }
}
