package chat.gateway;

import chat.shared.config.ChatConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event-bus bridge mounted at {@code /eventbus}, one per gateway instance: it speaks the standard
 * Vert.x bridge protocol ({@code register}, {@code unregister}, {@code send}, {@code publish},
 * {@code ping} in; {@code rec} and {@code err} out) over SockJS, so {@code vertx-eventbus.js} and raw
 * WebSocket clients work unchanged, with the {@link BridgeGuard}'s rules applied to every frame.
 *
 * <p>It replaces the stock SockJS bridge, which keeps one bus consumer and one ping timer per socket
 * and address and runs a hook and a permission regex for every delivery: here each address has one
 * consumer per instance ({@link Deliveries}) writing one pre-encoded frame to all its sockets, and one
 * timer per instance closes sockets that sent no frame of type {@code ping} for
 * {@code BRIDGE_PING_TIMEOUT_MS} (vertx-eventbus.js pings every 5 s). A refused frame gets the bridge's error frame
 * ({@code rejected}, or {@code invalid_json}, {@code missing_type}, {@code missing_address},
 * {@code invalid_type}, {@code invalid_reply_address}, {@code max_handlers_reached}); a reply or a
 * failure reply goes to the frame's {@code replyAddress}. Frame size limits are set on the HTTP server
 * (WebSocket frames and messages) and on the {@code /eventbus} body handler (xhr transports), both
 * {@code MAX_FRAME_BYTES}.
 */
public final class EventBusBridge implements Handler<SockJSSocket> {
  /** How often the idle sweep runs at most (a quarter of the ping timeout when that is shorter). */
  static final long IDLE_SWEEP_MS = 5_000;
  static final long REPLY_HEADROOM_MS = 2_000;
  /** vertx-eventbus.js reply addresses are UUIDs; anything longer is refused. */
  static final int MAX_REPLY_ADDRESS_LENGTH = 36;

  private final Vertx vertx;
  private final BridgeGuard guard;
  private final Deliveries deliveries;
  private final long replyTimeoutMs;
  private final long pingTimeoutMs;
  private final int maxBufferedBytes;
  private final Set<BridgeTransport> sockets = ConcurrentHashMap.newKeySet();
  private final long idleTimer;

  /** A bridge for the calling verticle instance; its idle sweep runs on that instance's context until {@link #close}. */
  public EventBusBridge(Vertx vertx, ChatConfig config, BridgeGuard guard) {
    this.vertx = vertx;
    this.guard = guard;
    this.deliveries = new Deliveries(vertx);
    this.replyTimeoutMs = config.busTimeoutMs() + REPLY_HEADROOM_MS;
    this.pingTimeoutMs = config.bridgePingTimeoutMs();
    this.maxBufferedBytes = config.bridgeMaxBufferedBytes();
    this.idleTimer = vertx.setPeriodic(Math.min(IDLE_SWEEP_MS, pingTimeoutMs / 4), id -> closeIdle());
  }

  /** The bridge's router, to mount with {@code router.route("/eventbus/*").subRouter(...)}. */
  public Router router() {
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .setRegisterWriteHandler(false)
        .setInsertJSESSIONID(false);
    return SockJSHandler.create(vertx, sockJs).socketHandler(this);
  }

  /** Stops the idle sweep and unregisters every consumer (the gateway instance is stopping). */
  public Future<Void> close() {
    vertx.cancelTimer(idleTimer);
    return deliveries.close();
  }

  @Override
  public void handle(SockJSSocket socket) {
    Connection connection = guard.opened(socket);
    if (connection == null) {
      socket.close();
      return;
    }
    socket.setWriteQueueMaxSize(maxBufferedBytes);
    BridgeTransport bridged = new BridgeTransport(socket, connection, System.currentTimeMillis());
    sockets.add(bridged);
    socket.handler(data -> frame(bridged, data));
    socket.exceptionHandler(t -> socket.close());
    socket.closeHandler(v -> closed(bridged));
  }

  private void closed(BridgeTransport bridged) {
    if (!sockets.remove(bridged)) {
      return;
    }
    bridged.markClosed();
    for (String address : bridged.connection().addresses()) {
      deliveries.remove(address, bridged);
    }
    guard.closed(bridged.socket(), bridged.connection());
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    for (BridgeTransport bridged : sockets) {
      if (bridged.idleSince(now, pingTimeoutMs)) {
        bridged.abort();
      }
    }
  }

  private void frame(BridgeTransport bridged, Buffer data) {
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      error(bridged, "invalid_json");
      return;
    }
    if (!(frame.getValue("type") instanceof String type)) {
      error(bridged, "missing_type");
      return;
    }
    if (type.equals("ping")) {
      bridged.pinged(System.currentTimeMillis());
      return;
    }
    if (!(frame.getValue("address") instanceof String address)) {
      error(bridged, "missing_address");
      return;
    }
    switch (type) {
      case "send" -> send(bridged, address, frame);
      case "publish" -> error(bridged, "rejected");
      case "register" -> register(bridged, address);
      case "unregister" -> unregister(bridged, address);
      default -> error(bridged, "invalid_type");
    }
  }

  private void register(BridgeTransport bridged, String address) {
    guard.register(bridged.connection(), address).onSuccess(allowed -> {
      if (!allowed) {
        error(bridged, "rejected");
      } else if (!bridged.closed() && bridged.connection().holds(address)) {
        deliveries.add(address, bridged);
      }
    });
  }

  private void unregister(BridgeTransport bridged, String address) {
    if (bridged.connection().holds(address)) {
      guard.unregister(bridged.connection(), address);
      deliveries.remove(address, bridged);
    }
  }

  private void send(BridgeTransport bridged, String address, JsonObject frame) {
    Object replyTo = frame.getValue("replyAddress");
    if (replyTo != null && !(replyTo instanceof String s && s.length() <= MAX_REPLY_ADDRESS_LENGTH)) {
      error(bridged, "invalid_reply_address");
      return;
    }
    if (!BridgeGuard.maySend(address)) {
      error(bridged, "rejected");
      return;
    }
    Connection connection = bridged.connection();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(replyTimeoutMs)
        .setHeaders(BridgeGuard.headers(connection));
    Object body = BridgeGuard.stampedBody(frame.getValue("body"), connection);
    if (replyTo == null) {
      vertx.eventBus().send(address, body, options);
      return;
    }
    if (!bridged.reserveReply(guard.maxPendingReplies())) {
      error(bridged, "max_handlers_reached");
      return;
    }
    vertx.eventBus().request(address, body, options).onComplete(ar -> {
      bridged.replied();
      bridged.write(reply((String) replyTo, ar));
    });
  }

  /** A reply frame for the client's {@code replyAddress}: {@code rec} with the body, or {@code err}. */
  private static Buffer reply(String replyAddress, AsyncResult<Message<Object>> ar) {
    if (ar.succeeded()) {
      return new JsonObject().put("type", "rec").put("address", replyAddress).put("body", ar.result().body()).toBuffer();
    }
    ReplyException failure = ar.cause() instanceof ReplyException re
        ? re
        : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ar.cause().getMessage());
    return new JsonObject()
        .put("type", "err")
        .put("address", replyAddress)
        .put("failureCode", failure.failureCode())
        .put("failureType", failure.failureType().name())
        .put("message", failure.getMessage())
        .toBuffer();
  }

  private static void error(BridgeTransport bridged, String code) {
    bridged.write(new JsonObject().put("type", "err").put("body", code).toBuffer());
  }
}
