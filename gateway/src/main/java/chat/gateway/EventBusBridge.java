package chat.gateway;

import chat.gateway.RateLimits.FrameKind;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Failures;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-bus bridge mounted at {@code /eventbus}, one per gateway instance: it speaks the standard
 * Vert.x bridge protocol ({@code register}, {@code unregister}, {@code send}, {@code publish},
 * {@code ping} in; {@code rec} and {@code err} out) over SockJS, so {@code vertx-eventbus.js} and raw
 * WebSocket clients work unchanged, with the {@link BridgeGuard}'s rules applied to every frame.
 *
 * <p>It replaces the stock SockJS bridge, which keeps one bus consumer and one ping timer per socket
 * and address and runs a hook and a permission regex for every delivery: here each instance has one
 * consumer ({@link Deliveries}; or one per address with {@code BUS_ROUTING=address}) writing one
 * pre-encoded frame per address to all its sockets there, and one
 * timer per instance closes sockets that sent no frame of type {@code ping} for
 * {@code BRIDGE_PING_TIMEOUT_MS} (vertx-eventbus.js pings every 5 s). A refused frame gets the bridge's error frame
 * ({@code rejected}, or {@code invalid_json}, {@code missing_type}, {@code missing_address},
 * {@code invalid_type}, {@code invalid_reply_address}, {@code max_handlers_reached}, {@code rate_limited}); every
 * frame is limited per socket and per user by kind ({@link FrameLimits}), and a socket that keeps sending
 * over its limits gets {@code flooding} and is closed ({@link RateLimits#FLOOD_REFUSALS}); a request is
 * answered by {@link BridgeInboundHandlers} in this gateway, its reply or failure written to the
 * frame's {@code replyAddress}. Frame size limits are set on the HTTP server
 * (WebSocket frames and messages) and on the {@code /eventbus} body handler (xhr transports), both
 * {@code MAX_FRAME_BYTES}.
 */
public final class EventBusBridge implements Handler<SockJSSocket> {
  /** How often the idle sweep runs at most (a quarter of the ping timeout when that is shorter). */
  static final long IDLE_SWEEP_MS = 5_000;
  /** How long a flooding socket's last frame may take to leave before the connection is cut anyway. */
  static final long FLOOD_CLOSE_GRACE_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  private static final Counter FLOODING_CLOSED = ChatMetrics.registry().counter("chat_bridge_flooding_closed_total");
  /** vertx-eventbus.js reply addresses are UUIDs; anything longer is refused. */
  static final int MAX_REPLY_ADDRESS_LENGTH = 36;
  /** The WebSocket close status of a connection whose token expired (an application status, 4000-4999). */
  static final int TOKEN_EXPIRED_STATUS = 4401;
  /** Tokens valid for longer are closed by the idle sweep instead (a timer's delay must stay in range). */
  private static final long MAX_TIMER_MS = 24L * 3600 * 1000;

  private final Vertx vertx;
  private final BridgeGuard guard;
  private final BridgeInboundHandlers inbound;
  private final FrameLimits limits;
  private final Deliveries deliveries;
  private final long pingTimeoutMs;
  private final int maxBufferedBytes;
  private final Set<BridgeTransport> sockets = ConcurrentHashMap.newKeySet();
  private final long idleTimer;
  private final Context context;

  /** A bridge for the calling verticle instance; its idle sweep runs on that instance's context until {@link #close}. */
  EventBusBridge(Vertx vertx, ChatConfig config, BridgeGuard guard, BridgeInboundHandlers inbound, FrameLimits limits,
      AttachmentLinks links) {
    this.vertx = vertx;
    this.guard = guard;
    this.inbound = inbound;
    this.limits = limits;
    this.deliveries = new Deliveries(vertx, config.busRouting(), guard.revocations(), links);
    this.context = vertx.getOrCreateContext();
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

  /** Completes once the bridge receives the bus's events for browsers (see {@link Deliveries#ready}). */
  public Future<Void> ready() {
    return deliveries.ready();
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
    long now = System.currentTimeMillis();
    BridgeTransport bridged = new BridgeTransport(socket, connection, now);
    sockets.add(bridged);
    connection.onClose(() -> context.runOnContext(v -> bridged.abort()));
    // The connection lives no longer than its token: closed at expiry, the client reconnects with a fresh one.
    long expiry = vertx.setTimer(Math.max(1, Math.min(connection.user().expiresAtMs() - now, MAX_TIMER_MS)), id -> {
      if (System.currentTimeMillis() >= connection.user().expiresAtMs()) {
        socket.close(TOKEN_EXPIRED_STATUS, "token_expired");
      }
    });
    socket.handler(data -> frame(bridged, data));
    socket.exceptionHandler(t -> socket.close());
    socket.closeHandler(v -> {
      vertx.cancelTimer(expiry);
      closed(bridged);
    });
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
      } else if (now >= bridged.connection().user().expiresAtMs()) {
        bridged.socket().close(TOKEN_EXPIRED_STATUS, "token_expired");
      }
    }
  }

  private void frame(BridgeTransport bridged, Buffer data) {
    if (bridged.closed()) {
      return;
    }
    if (!limits.allow(bridged, FrameKind.ANY)) {
      refuse(bridged, null, null);
      return;
    }
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
    if (!limits.allow(bridged, FrameKind.SUBSCRIPTION)) {
      refuse(bridged, null, null);
      return;
    }
    guard.register(bridged.connection(), address).onSuccess(outcome -> {
      switch (outcome) {
        case ADDED -> {
          if (!bridged.closed()) {
            deliveries.add(address, bridged);
          }
        }
        case REFUSED -> {
          deliveries.remove(address, bridged);
          error(bridged, "rejected");
        }
        case STALE_REFUSED -> error(bridged, "rejected");
        case STALE -> { }
      }
    });
  }

  private void unregister(BridgeTransport bridged, String address) {
    if (!limits.allow(bridged, FrameKind.SUBSCRIPTION)) {
      refuse(bridged, null, null);
      return;
    }
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
    String replyAddress = (String) replyTo;
    if (!limits.allow(bridged, FrameLimits.kindOf(address))) {
      refuse(bridged, replyAddress, address);
      return;
    }
    // A request without a reply address takes a slot too: otherwise it would escape the cap.
    if (!bridged.reserveReply(guard.maxPendingReplies())) {
      error(bridged, "max_handlers_reached");
      countRefusal(bridged);
      return;
    }
    inbound.handle(address, bridged.connection(), frame.getValue("body")).onComplete(ar -> {
      bridged.replied();
      if (ar.failed() && ar.cause() instanceof ChatException e && e.code() == ErrorCode.RATE_LIMITED) {
        countRefusal(bridged);
      }
      if (replyAddress != null) {
        bridged.write(reply(replyAddress, ar, address));
      }
    });
  }

  /**
   * A frame over a limit: a request with a reply address gets the 429 {@code rate_limited} failure, any
   * other frame the error frame {@code rate_limited}; either counts towards closing a flooding socket.
   */
  private void refuse(BridgeTransport bridged, String replyAddress, String address) {
    if (replyAddress != null) {
      bridged.write(reply(replyAddress, Future.failedFuture(new ChatException(ErrorCode.RATE_LIMITED)), address));
    } else {
      error(bridged, "rate_limited");
    }
    countRefusal(bridged);
  }

  /** A socket with {@link RateLimits#FLOOD_REFUSALS} refusals in the window gets {@code flooding} and is closed. */
  private void countRefusal(BridgeTransport bridged) {
    if (!limits.enabled() || !bridged.refused(System.currentTimeMillis())) {
      return;
    }
    FLOODING_CLOSED.increment();
    Connection c = bridged.connection();
    LOG.info("Bridge connection {} of {} from {} closed: it kept sending over its limits; no new one for {} s",
        c.connectionId(), c.userId(), c.ip(), RateLimits.FLOOD_WINDOW_MS / 1000);
    guard.flooded(c);
    bridged.closeWith(new JsonObject().put("type", "err").put("body", "flooding").toBuffer());
    vertx.setTimer(FLOOD_CLOSE_GRACE_MS, id -> {
      if (sockets.contains(bridged)) {
        bridged.abort();
      }
    });
  }

  /**
   * A reply frame for the client's {@code replyAddress}: {@code rec} with the body, or {@code err} whose
   * {@code failureCode} is the HTTP status and whose message is the bare error code (the contract's form).
   */
  private static Buffer reply(String replyAddress, AsyncResult<JsonObject> ar, String address) {
    if (ar.succeeded()) {
      return new JsonObject().put("type", "rec").put("address", replyAddress).put("body", ar.result()).toBuffer();
    }
    ChatException failure = Failures.of(ar.cause(), address);
    return new JsonObject()
        .put("type", "err")
        .put("address", replyAddress)
        .put("failureCode", failure.failureCode())
        .put("failureType", ReplyFailure.RECIPIENT_FAILURE.name())
        .put("message", Failures.ERROR_CODE.message(failure))
        .toBuffer();
  }

  private static void error(BridgeTransport bridged, String code) {
    bridged.write(new JsonObject().put("type", "err").put("body", code).toBuffer());
  }
}
