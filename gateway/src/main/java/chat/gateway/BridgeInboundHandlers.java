package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bodies;
import chat.shared.protocol.Messaging.SendMessage;
import chat.shared.protocol.Ok;
import chat.shared.protocol.Presence;
import chat.shared.protocol.Presence.Join;
import chat.shared.protocol.Presence.Leave;
import chat.shared.protocol.Presence.Typing;
import chat.shared.protocol.Unread.MarkRead;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The six client addresses a bridge socket may send to, handled in the gateway that received the frame,
 * with the socket's authenticated {@link Connection}: decode the body (the user is stamped, never taken
 * from the client), check membership where the service does not, call the internal endpoint, and answer
 * with the contract's reply body. Failures are {@link ChatException}s; the bridge writes them as the
 * contract says.
 */
record BridgeInboundHandlers(Vertx vertx, TimedBus bus, MessageSender sender, ReadMarker marker, Limiter typing,
    Revocations revocations, AttachmentLinks links) {
  /** The reply body for a request to {@code address} (one of {@link BridgeGuard#INBOUND}). */
  Future<JsonObject> handle(String address, Connection c, Object body) {
    try {
      if (!(body instanceof JsonObject json)) {
        throw new ChatException(ErrorCode.INVALID_REQUEST, "The body must be a JSON object");
      }
      return switch (address) {
        case Addresses.CLIENT_THREAD_JOIN -> join(c, thread(json));
        case Addresses.CLIENT_THREAD_LEAVE -> leave(c, thread(json));
        case Addresses.CLIENT_TYPING_START -> typingAllowed(c, thread(json)).compose(t -> typingStart(c, t));
        case Addresses.CLIENT_TYPING_STOP -> typingAllowed(c, thread(json)).compose(t -> typingStop(c, t));
        case Addresses.CLIENT_MESSAGE_SEND -> sender.send(ClientBodies.stamped(SendMessage.class, json, c.userId(), null))
            .map(r -> links.signed(new JsonObject().put("message", Bodies.encode(r.message()))));
        case Addresses.CLIENT_THREAD_READ -> marker.markRead(ClientBodies.stamped(MarkRead.class, json, c.userId(), null));
        default -> throw new ChatException(ErrorCode.FORBIDDEN, "Not an inbound address");
      };
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> join(Connection c, String threadId) {
    return revocations.check(c, threadId)
        .compose(v -> bus.request(Presence.JOIN,
            new Join(c.userId(), threadId, c.connectionId(), ClusterNode.nodeId(vertx))))
        .compose(snapshot -> {
          if (!c.isMemberOf(threadId)) {
            // Removed while joining: take back the presence entry the removal could not see.
            bus.request(Presence.LEAVE, new Leave(c.userId(), threadId, c.connectionId()));
            return Future.failedFuture(new ChatException(ErrorCode.NOT_MEMBER));
          }
          c.joined(threadId);
          return Future.succeededFuture(Bodies.encode(snapshot));
        });
  }

  private Future<JsonObject> leave(Connection c, String threadId) {
    c.left(threadId);
    return ok(bus.request(Presence.LEAVE, new Leave(c.userId(), threadId, c.connectionId())));
  }

  private Future<JsonObject> typingStart(Connection c, String threadId) {
    return ensureMember(c, threadId).compose(v -> {
      if (!c.shouldForwardTyping(threadId, System.currentTimeMillis(), RateLimits.TYPING_FORWARD_INTERVAL_MS)) {
        return Future.succeededFuture(Bodies.encode(Ok.OK));
      }
      return ok(bus.request(Presence.TYPING_START, new Typing(c.userId(), threadId)));
    });
  }

  private Future<JsonObject> typingStop(Connection c, String threadId) {
    return ensureMember(c, threadId).compose(v -> {
      c.typingStopped(threadId);
      return ok(bus.request(Presence.TYPING_STOP, new Typing(c.userId(), threadId)));
    });
  }

  private static String thread(JsonObject body) {
    return Bodies.decode(body, ClientBodies.ThreadRef.class).threadId();
  }

  private Future<String> typingAllowed(Connection c, String threadId) {
    return typing.require(c.userId(), "Too many typing notifications").map(threadId);
  }

  /** Membership from the connection's cache, else from messaging (and cached on success). */
  private Future<Void> ensureMember(Connection c, String threadId) {
    return c.isMemberOf(threadId) ? Future.succeededFuture() : revocations.check(c, threadId);
  }

  private static Future<JsonObject> ok(Future<Ok> done) {
    return done.map(Bodies::encode);
  }
}
