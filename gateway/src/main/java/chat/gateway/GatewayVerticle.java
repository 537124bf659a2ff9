package chat.gateway;

import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;

/**
 * The gateway: the HTTP API, the SockJS event-bus bridge and its inbound façade, the web page, and the
 * presence heartbeat. It never touches a store: every call goes to a service over the bus.
 */
public final class GatewayVerticle extends VerticleBase {
  private final ChatConfig config;
  private final RateLimits limits;
  private HttpServer server;
  private Connections connections;
  private BridgeInboundHandlers inbound;
  private PresenceHeartbeat heartbeat;

  public GatewayVerticle(ChatConfig config) {
    this(config, RateLimits.defaults(config.rateLimits()));
  }

  public GatewayVerticle(ChatConfig config, RateLimits limits) {
    this.config = config;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    TimedBus bus = new TimedBus(vertx, config.busTimeoutMs());
    UserDirectory users = new UserDirectory(bus);
    TokenVerifier verifier = new TokenVerifier(vertx, config);
    AuthHandler auth = AuthHandler.bearer(verifier, users);
    RateLimiter sendLimiter = new RateLimiter(limits.enabled(), limits.sendsPerSecond(), limits.sendBurst());
    RateLimiter typingLimiter = new RateLimiter(limits.enabled(), limits.typingPerSecond(), limits.typingBurst());
    MessageSender sender = new MessageSender(bus, sendLimiter);
    ReadMarker marker = new ReadMarker(bus);
    ThreadRoutes threads = new ThreadRoutes(bus);
    MessageRoutes messages = new MessageRoutes(bus, sender);
    ReadRoutes reads = new ReadRoutes(bus, marker);
    OpsRoutes ops = new OpsRoutes(vertx);
    FailureHandler failures = new FailureHandler();
    connections = new Connections(limits);
    SessionOwnership sessions = new SessionOwnership();
    BridgeGuard guard = new BridgeGuard(vertx, bus, connections, limits, sessions);
    inbound = new BridgeInboundHandlers(vertx, bus, connections, sender, marker, typingLimiter);
    heartbeat = new PresenceHeartbeat(vertx, bus, connections, config.heartbeatSeconds());

    Router router = Router.router(vertx);
    router.route().handler(new HttpMetrics());
    router.route().handler(new SecurityHeaders(config.corsOrigins()));
    if (!config.corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create()
          .addOrigins(config.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS))
          .allowedHeaders(Set.of("Authorization", "Content-Type")));
    }

    router.get("/health/live").handler(ops::live);
    router.get("/health/ready").handler(ops::ready);
    router.get("/metrics").handler(ops::metrics);

    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    DevLoginRoutes devLogin = new DevLoginRoutes(vertx, config, users);
    router.route("/api/dev/token").handler(config.devLogin() ? devLogin::token : DevLoginRoutes::disabled);
    router.route("/api/*").handler(auth);
    router.post("/api/threads").handler(threads::create);
    router.get("/api/threads").handler(threads::list);
    router.get("/api/threads/unread").handler(reads::unread);
    router.post("/api/threads/:id/members").handler(threads::addMember);
    router.delete("/api/threads/:id/members/:userId").handler(threads::removeMember);
    router.get("/api/threads/:id/messages").handler(messages::history);
    router.post("/api/threads/:id/messages").handler(messages::send);
    router.post("/api/threads/:id/read").handler(reads::read);
    router.get("/api/threads/:id/receipts").handler(reads::receipts);

    router.route("/eventbus/*").handler(AuthHandler.accessTokenParam(verifier, users));
    router.route("/eventbus/*").handler(sessions);
    router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(config.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(EventBusBridge.router(vertx, config, limits, guard));

    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));

    router.route().failureHandler(failures);
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(500, failures);

    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_MEMBER_REMOVED, msg -> {
      JsonObject body = msg.body();
      if (body != null && body.getString("userId") != null && body.getString("threadId") != null) {
        connections.revoke(body.getString("userId"), body.getString("threadId").toLowerCase());
      }
    });

    HttpServerOptions serverOptions = new HttpServerOptions()
        .setPort(config.port())
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes());
    return inbound.register()
        .compose(v -> vertx.createHttpServer(serverOptions).requestHandler(router).listen())
        .onSuccess(s -> {
          server = s;
          heartbeat.start();
        });
  }

  @Override
  public Future<?> stop() {
    heartbeat.stop();
    connections.close();
    Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
    return closing.compose(v -> inbound.unregister());
  }

  /** The port the HTTP server listens on (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
