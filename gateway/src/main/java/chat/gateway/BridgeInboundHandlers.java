package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound bridge façade: gateway-local consumers of the six client addresses (so a frame is
 * always handled by the gateway that received it). Each reads the caller from the headers the
 * {@link BridgeGuard} stamped, validates, checks membership where the service does not, and calls
 * the internal address. A failure is replied {@code fail(httpStatus, errorCode)}, as the contract says.
 */
public final class BridgeInboundHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeInboundHandlers.class);
  private static final JsonObject OK = new JsonObject().put("ok", true);

  private final Vertx vertx;
  private final TimedBus bus;
  private final Connections connections;
  private final MessageSender sender;
  private final ReadMarker marker;
  private final RateLimiter typing;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public BridgeInboundHandlers(Vertx vertx, TimedBus bus, Connections connections, MessageSender sender,
      ReadMarker marker, RateLimiter typing) {
    this.vertx = vertx;
    this.bus = bus;
    this.connections = connections;
    this.sender = sender;
    this.marker = marker;
    this.typing = typing;
  }

  public Future<Void> register() {
    serve(Addresses.CLIENT_THREAD_JOIN, this::join);
    serve(Addresses.CLIENT_THREAD_LEAVE, this::leave);
    serve(Addresses.CLIENT_TYPING_START, this::typingStart);
    serve(Addresses.CLIENT_TYPING_STOP, this::typingStop);
    serve(Addresses.CLIENT_MESSAGE_SEND, this::send);
    serve(Addresses.CLIENT_THREAD_READ, this::read);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> unregister() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private Future<JsonObject> join(Connection c, JsonObject body) {
    String threadId = Requests.requireThreadId(body, "threadId");
    return memberCheck(c, threadId)
        .compose(v -> bus.request(Addresses.PRESENCE_JOIN, new JsonObject()
            .put("userId", c.userId())
            .put("threadId", threadId)
            .put("connectionId", c.connectionId())
            .put("gatewayId", ClusterNode.nodeId(vertx))))
        .map(r -> {
          c.joined(threadId);
          return r;
        })
        .map(r -> new JsonObject()
            .put("onlineUserIds", r.getValue("onlineUserIds"))
            .put("typingUserIds", r.getValue("typingUserIds")));
  }

  private Future<JsonObject> leave(Connection c, JsonObject body) {
    String threadId = Requests.requireThreadId(body, "threadId");
    c.left(threadId);
    return bus.request(Addresses.PRESENCE_LEAVE, new JsonObject()
            .put("userId", c.userId()).put("threadId", threadId).put("connectionId", c.connectionId()))
        .map(OK);
  }

  private Future<JsonObject> typingStart(Connection c, JsonObject body) {
    String threadId = typingThread(c, body);
    return ensureMember(c, threadId).compose(v -> {
      if (!c.shouldForwardTyping(threadId, System.currentTimeMillis(), RateLimits.TYPING_FORWARD_INTERVAL_MS)) {
        return Future.succeededFuture(OK);
      }
      return bus.request(Addresses.PRESENCE_TYPING_START, new JsonObject().put("userId", c.userId()).put("threadId", threadId))
          .map(OK);
    });
  }

  private Future<JsonObject> typingStop(Connection c, JsonObject body) {
    String threadId = typingThread(c, body);
    return ensureMember(c, threadId).compose(v -> {
      c.typingStopped(threadId);
      return bus.request(Addresses.PRESENCE_TYPING_STOP, new JsonObject().put("userId", c.userId()).put("threadId", threadId))
          .map(OK);
    });
  }

  private Future<JsonObject> send(Connection c, JsonObject body) {
    String threadId = Requests.requireThreadId(body, "threadId");
    return sender.send(c.userId(), threadId, body).map(r -> new JsonObject().put("message", r.getJsonObject("message")));
  }

  private Future<JsonObject> read(Connection c, JsonObject body) {
    String threadId = Requests.requireThreadId(body, "threadId");
    return marker.markRead(c.userId(), threadId, body);
  }

  private String typingThread(Connection c, JsonObject body) {
    String threadId = Requests.requireThreadId(body, "threadId");
    if (!typing.tryAcquire(c.userId())) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "Too many typing notifications");
    }
    return threadId;
  }

  /** Membership from the connection's cache, else from messaging (and cached on success). */
  private Future<Void> ensureMember(Connection c, String threadId) {
    return c.isMemberOf(threadId) ? Future.succeededFuture() : memberCheck(c, threadId);
  }

  private Future<Void> memberCheck(Connection c, String threadId) {
    return bus.request(Addresses.MEMBER_CHECK, new JsonObject().put("userId", c.userId()).put("threadId", threadId))
        .map(r -> {
          c.verifiedMember(threadId);
          return null;
        });
  }

  private void serve(String address, BiFunction<Connection, JsonObject, Future<JsonObject>> handler) {
    consumers.add(vertx.eventBus().localConsumer(address, msg -> handle(msg, handler)));
  }

  private void handle(Message<Object> msg, BiFunction<Connection, JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      Connection connection = connections.byId(msg.headers().get(BridgeGuard.HEADER_CONNECTION_ID));
      if (connection == null || !connection.userId().equals(msg.headers().get(BridgeGuard.HEADER_USER_ID))) {
        throw new ChatException(ErrorCode.UNAUTHORIZED);
      }
      if (!(msg.body() instanceof JsonObject body)) {
        throw Requests.invalid("The body must be a JSON object");
      }
      result = handler.apply(connection, body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
        return;
      }
      ChatException error = ChatException.from(ar.cause());
      if (error.code() == ErrorCode.INTERNAL) {
        LOG.error("Bridge request on {} failed", msg.address(), ar.cause());
      }
      msg.fail(error.failureCode(), error.code().code());
    });
  }
}
