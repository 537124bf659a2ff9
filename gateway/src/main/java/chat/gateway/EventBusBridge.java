package chat.gateway;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The SockJS event-bus bridge mounted at {@code /eventbus}: outbound only {@code chat.thread.<uuid>} and
 * {@code chat.user.<userId>}, inbound only the six client addresses, never anything else. Frame size
 * limits are set on the HTTP server (WebSocket frames and messages) and on the {@code /eventbus} body
 * handler (xhr transports), both {@code MAX_FRAME_BYTES}.
 */
public final class EventBusBridge {
  static final String THREAD_ADDRESS_REGEX =
      "chat\\.thread\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static final String USER_ADDRESS_REGEX = "chat\\.user\\.[A-Za-z0-9._@:+\\-]{1,128}";
  static final int MAX_ADDRESS_LENGTH = 200;
  static final long PING_TIMEOUT_MS = 30_000;
  static final long REPLY_HEADROOM_MS = 2_000;

  private EventBusBridge() {}

  public static SockJSBridgeOptions options(ChatConfig config, RateLimits limits) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(THREAD_ADDRESS_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(USER_ADDRESS_REGEX))
        .setMaxAddressLength(MAX_ADDRESS_LENGTH)
        .setMaxHandlersPerSocket(limits.enabled()
            ? limits.registrationsPerSocket() + 100
            : RateLimits.MAX_BRIDGE_HANDLERS)
        .setPingTimeout(PING_TIMEOUT_MS)
        .setReplyTimeout(config.busTimeoutMs() + REPLY_HEADROOM_MS);
    for (String address : BridgeGuard.INBOUND) {
      options.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    return options;
  }

  /** The bridge's router, to mount with {@code router.route("/eventbus/*").subRouter(...)}. */
  public static Router router(Vertx vertx, ChatConfig config, RateLimits limits, BridgeGuard guard) {
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .setRegisterWriteHandler(false)
        .setInsertJSESSIONID(false);
    return SockJSHandler.create(vertx, sockJs).bridge(options(config, limits), guard);
  }
}
