package chat.presence;

import chat.shared.bus.Bus;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.MemberRemoved;
import chat.shared.protocol.Messaging.MessageSent;
import chat.shared.protocol.Ok;
import chat.shared.protocol.Presence;
import chat.shared.protocol.Presence.Disconnect;
import chat.shared.protocol.Presence.Heartbeat;
import chat.shared.protocol.Presence.HeartbeatReply;
import chat.shared.protocol.Presence.Join;
import chat.shared.protocol.Presence.Leave;
import chat.shared.protocol.Presence.Typing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves presence-service's endpoints (called by gateways, which have already authenticated the user,
 * checked membership and throttled typing) and its two events: call the store with the decoded request,
 * publish what changed, reply.
 */
final class PresenceHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceHandler.class);

  private final PresenceStore store;
  private final PresencePublisher publisher;

  PresenceHandler(PresenceStore store, PresencePublisher publisher) {
    this.store = store;
    this.publisher = publisher;
  }

  List<MessageConsumer<Object>> register(Vertx vertx) {
    return List.of(
        Bus.serve(vertx, Presence.JOIN, this::join),
        Bus.serve(vertx, Presence.LEAVE, this::leave),
        Bus.serve(vertx, Presence.DISCONNECT, this::disconnect),
        Bus.serve(vertx, Presence.TYPING_START, this::typingStart),
        Bus.serve(vertx, Presence.TYPING_STOP, this::typingStop),
        Bus.serve(vertx, Presence.HEARTBEAT, this::heartbeat),
        Bus.consume(vertx, Messaging.MESSAGE_SENT_PRESENCE, this::messageSent),
        Bus.consume(vertx, Messaging.MEMBER_REMOVED, this::memberRemoved));
  }

  private Future<Presence.Snapshot> join(Join req) {
    return store.join(req.threadId(), req.userId(), req.connectionId(), req.gatewayId()).map(joined -> {
      publisher.publish(joined.changes());
      return new Presence.Snapshot(joined.snapshot().onlineUserIds(), joined.snapshot().typingUserIds());
    });
  }

  private Future<Ok> leave(Leave req) {
    return ok(store.leave(req.threadId(), req.userId(), req.connectionId()));
  }

  private Future<Ok> disconnect(Disconnect req) {
    return ok(store.disconnect(req.connectionId()));
  }

  private Future<Ok> typingStart(Typing req) {
    return ok(store.typingStart(req.threadId(), req.userId()));
  }

  private Future<Ok> typingStop(Typing req) {
    return ok(store.typingStop(req.threadId(), req.userId()));
  }

  private Future<HeartbeatReply> heartbeat(Heartbeat req) {
    return store.heartbeat(req.gatewayId()).map(known -> new HeartbeatReply(true, known));
  }

  /** The author of a new message stops typing in that thread. */
  private void messageSent(MessageSent event) {
    logFailure(ok(store.typingStop(event.threadId(), event.authorId())), Messaging.MESSAGE_SENT_PRESENCE.address());
  }

  /** A removed member is no longer online or typing in the thread. */
  private void memberRemoved(MemberRemoved event) {
    logFailure(ok(store.removeMember(event.threadId(), event.userId())), Messaging.MEMBER_REMOVED.address());
  }

  private Future<Ok> ok(Future<Changes> changes) {
    return changes.map(c -> {
      publisher.publish(c);
      return Ok.OK;
    });
  }

  private static void logFailure(Future<?> result, String address) {
    result.onFailure(t -> LOG.warn("Handling {} failed: {}", address, t.getMessage()));
  }
}
