package chat.gateway;

import chat.shared.config.ChatConfig;
import chat.shared.runtime.Deployment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.Set;

/**
 * The gateway: the HTTP API, the SockJS event-bus bridge, the web page, and the
 * presence heartbeat. It never touches a store: every call goes to a service over the bus. Several
 * instances may serve one gateway (see {@link #deployment}): each has its own HTTP server (the port is
 * shared), router and bridge, over one {@link GatewayNode}.
 */
public final class GatewayVerticle extends VerticleBase {
  private final ChatConfig config;
  private final GatewayNode node;
  private HttpServer server;
  private EventBusBridge bridge;

  private GatewayVerticle(GatewayNode node) {
    this.config = node.config;
    this.node = node;
  }

  /**
   * The gateway as {@code VERTICLE_INSTANCES} verticles sharing one state and one port, with the default
   * rate limits. The only way to make a gateway: processes and tests deploy this.
   */
  public static Deployment deployment(ChatConfig config) {
    return deployment(config, RateLimits.defaults(config.rateLimits()));
  }

  /** As {@link #deployment(ChatConfig)}, with the given limits instead of the defaults (tests). */
  public static Deployment deployment(ChatConfig config, RateLimits limits) {
    GatewayNode node = new GatewayNode(config, limits);
    return new Deployment(() -> new GatewayVerticle(node), config.verticleInstances());
  }

  @Override
  public Future<?> start() {
    Future<Void> joined = node.join(vertx);
    TimedBus bus = node.bus();
    UserDirectory users = node.users();
    TokenVerifier verifier = node.verifier(vertx);
    AuthHandler auth = AuthHandler.bearer(verifier, users);
    MessageSender sender = node.sender();
    ReadMarker marker = node.marker();
    ThreadRoutes threads = new ThreadRoutes(bus);
    AttachmentLinks links = node.attachmentLinks();
    MessageRoutes messages = new MessageRoutes(bus, sender, links);
    AttachmentRoutes attachments = new AttachmentRoutes(vertx, bus, verifier, users, node.attachmentStore(), links,
        node.uploadLimiter(), config.attachments().maxBytes(),
        Path.of(System.getProperty("java.io.tmpdir"), "chat-uploads"));
    ReadRoutes reads = new ReadRoutes(bus, marker);
    OpsRoutes ops = new OpsRoutes(vertx);
    FailureHandler failures = new FailureHandler();
    Connections connections = node.connections();
    SessionOwnership sessions = node.sessions();
    RateLimits limits = node.limits;
    BridgeInboundHandlers inbound = new BridgeInboundHandlers(vertx, bus, sender, marker, node.typingLimiter(),
        node.revocations(), links);
    bridge = new EventBusBridge(vertx, config,
        new BridgeGuard(vertx, bus, connections, limits, sessions, node.revocations()), inbound, node.frameLimits(),
        links);

    Router router = Router.router(vertx);
    router.route().handler(new HttpMetrics());
    router.route().handler(new SecurityHeaders(config.corsOrigins(), config.embedOrigins()));
    if (!config.corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create()
          .addOrigins(config.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS))
          .allowedHeaders(Set.of("Authorization", "Content-Type"))
          // SockJS's cross-origin XHRs (info, xhr-streaming, xhr-polling) always send credentials, so the
          // bridge opens from a listed origin only with this; auth stays the Bearer token or access_token.
          .allowCredentials(true));
    }

    router.route().handler(node.clientIp);
    router.route().handler(JsonBodies::wellFormedQuery);

    if (!config.hasOpsPort()) {
      // With OPS_PORT set, ChatProcess serves these there and the public port does not know them.
      router.get("/health/live").handler(ops::live);
      router.get("/health/ready").handler(ops::ready);
      router.get("/metrics").handler(ops::metrics);
    }

    // Uploads stream to storage: routed before the body handler, which would hold the whole file in memory.
    router.post("/api/threads/:id/attachments").handler(attachments::upload);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.get("/api/attachments/:id").handler(attachments::signed);
    DevLoginRoutes devLogin = new DevLoginRoutes(vertx, config, users);
    router.route("/api/dev/token").handler(config.devLogin() ? devLogin::token : DevLoginRoutes::disabled);
    router.get("/api/config").handler(new PageConfigRoutes(config)::config);
    router.route("/api/*").handler(auth);
    router.post("/api/threads").handler(threads::create);
    router.get("/api/threads").handler(threads::list);
    router.get("/api/threads/unread").handler(reads::unread);
    router.patch("/api/threads/:id").handler(threads::rename);
    router.put("/api/threads/:id/mute").handler(threads::mute);
    router.get("/api/threads/:id/members").handler(threads::members);
    router.patch("/api/threads/:id/members/:userId").handler(threads::changeRole);
    router.post("/api/threads/:id/members").handler(threads::addMember);
    router.delete("/api/threads/:id/members/:userId").handler(threads::removeMember);
    router.get("/api/threads/:id/messages").handler(messages::history);
    router.post("/api/threads/:id/messages").handler(messages::send);
    router.patch("/api/threads/:id/messages/:messageId").handler(messages::edit);
    router.delete("/api/threads/:id/messages/:messageId").handler(messages::delete);
    router.post("/api/threads/:id/read").handler(reads::read);
    router.get("/api/attachments/:id").handler(attachments::forMember);
    router.get("/api/threads/:id/receipts").handler(reads::receipts);

    router.route("/eventbus/*").handler(AuthHandler.accessTokenParam(verifier, users));
    router.route("/eventbus/*").handler(connections::admit);
    router.route("/eventbus/*").handler(sessions);
    router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(config.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(bridge.router());

    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));

    router.route().failureHandler(failures);
    // Failures no route reaches (a path that does not decode, no route, a wrong method) get the same body.
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, failures.forStatus(status));
    }

    // Strict thread mode: every HTTP response is written on its connection's event loop, which lets
    // Vert.x drop the cross-thread write queue of each HTTP connection (~4 KB, kept alive for the life of a
    // bridge WebSocket upgraded from it). Every handler here answers on its own context, and SockJS
    // sessions write to an xhr response on that response's context.
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes())
        .setStrictThreadMode(true);
    return joined.compose(v -> bridge.ready()).compose(v -> vertx.createHttpServer(serverOptions)
            .invalidRequestHandler(FailureHandler::invalidRequest)
            .requestHandler(router)
            .listen())
        .onSuccess(s -> {
          server = s;
          node.listening();
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
    return closing
        .eventually(() -> bridge.close())
        .eventually(node::leave);
  }
}
