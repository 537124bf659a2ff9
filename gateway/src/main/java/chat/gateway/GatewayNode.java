package chat.gateway;

import chat.api.v1.ApiV1;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.protocol.Messaging;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one gateway, shared by every {@link GatewayVerticle} instance of its deployment (one
 * HTTP server per event loop, all on the same port): the live bridge connections and their limits,
 * SockJS session owners, the rate limiters (in Redis, shared by every gateway, when {@code REDIS_URL} is set), the verified-token and known-user caches. The once-only
 * parts (member removals and the presence heartbeat) run while at least one instance is
 * deployed: the first instance to start begins them, the last to stop ends them. Everything in here
 * is safe to use from several event loops.
 */
final class GatewayNode {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);
  final ChatConfig config;
  final RateLimits limits;
  final ClientIp clientIp;
  private final FrameLimits frameLimits;
  private int instances;
  private TimedBus bus;
  private UserDirectory users;
  private final TokenVerifier.Memory tokens = new TokenVerifier.Memory();
  private MessageSender sender;
  private ReadMarker marker;
  /** How long a rate-limit check waits for Redis before this gateway decides alone. */
  static final long REDIS_LIMIT_TIMEOUT_MS = 250;
  private Limiter sendLimiter;
  private Limiter typingLimiter;
  private Redis redis;
  private Connections connections;
  private SessionOwnership sessions;
  private PresenceHeartbeat heartbeat;
  private Revocations revocations;
  private Vertx vertx;
  private Future<Void> started;
  private MessageConsumer<Object> attachmentLinkApi;
  private AttachmentStore attachmentStore;
  private AttachmentLinks attachmentLinks;
  private RateLimiter uploadLimiter;
  private AttachmentSweeper sweeper;

  GatewayNode(ChatConfig config, RateLimits limits) {
    this.config = config;
    this.limits = limits;
    this.clientIp = ClientIp.trusting(config.trustedProxies());
    this.frameLimits = new FrameLimits(limits);
  }

  /** Called by each instance's start; the first one builds the shared parts. Completes once they serve. */
  synchronized Future<Void> join(Vertx vertx) {
    if (instances++ > 0) {
      return started;
    }
    warnIfDevLoginIsExposed(config);
    bus = new TimedBus(vertx, config.busTimeoutMs());
    users = new UserDirectory(vertx, bus);
    RateLimiter localSends = new RateLimiter(limits.enabled(), limits.sendsPerSecond(), limits.sendBurst());
    RateLimiter localTyping = new RateLimiter(limits.enabled(), limits.typingPerSecond(), limits.typingBurst());
    if (limits.enabled() && config.redisUrl() != null) {
      redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
          .setMaxPoolSize(8).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096));
      sendLimiter = new RedisLimiter(redis, config.redisPrefix(), "send", limits.sendsPerSecond(), limits.sendBurst(),
          REDIS_LIMIT_TIMEOUT_MS, localSends);
      typingLimiter = new RedisLimiter(redis, config.redisPrefix(), "typing", limits.typingPerSecond(),
          limits.typingBurst(), REDIS_LIMIT_TIMEOUT_MS, localTyping);
    } else {
      sendLimiter = Limiter.local(localSends);
      typingLimiter = Limiter.local(localTyping);
    }
    sender = new MessageSender(bus, sendLimiter, config.busTimeoutMs());
    marker = new ReadMarker(bus);
    connections = new Connections(limits);
    sessions = new SessionOwnership();
    heartbeat = new PresenceHeartbeat(vertx, bus, connections, config.heartbeatSeconds());
    this.vertx = vertx;
    // Checks get half the bus timeout: a refused register is answered well within it, even when messaging lags.
    revocations = new Revocations(connections, new TimedBus(vertx, Math.max(1, config.busTimeoutMs() / 2)));
    started = revocations.start(vertx);
    // Removals come only through the revocation endpoint, which messaging awaits: the member-removed event
    // (for presence) may be handled late, after a re-add, and would then revoke the new membership.
    ChatConfig.Attachments attachments = config.attachments();
    attachmentStore = attachments.store().equals(ChatConfig.Attachments.S3_STORE)
        ? new S3AttachmentStore(vertx, attachments.s3())
        : new FsAttachmentStore(vertx, Path.of(attachments.dir()));
    if (attachments.urlKey() == null) {
      LOG.warn("ATTACHMENT_URL_KEY is not set: attachment links are signed with a random key and work on this "
          + "gateway only, until it restarts");
    }
    attachmentLinks = AttachmentLinks.of(attachments.urlKey());
    uploadLimiter = new RateLimiter(limits.enabled(), attachments.uploadsPerMinute() / 60.0,
        attachments.uploadsPerMinute());
    sweeper = new AttachmentSweeper(vertx, bus, attachmentStore, attachments.sweepSeconds());
    // v1's attachment.link: only gateways hold the key that signs links; membership is messaging's check.
    attachmentLinkApi = Bus.serve(vertx, ApiV1.GET_ATTACHMENT_LINK, req -> bus
        .request(Messaging.ATTACHMENT_GET, new Messaging.GetAttachment(req.attachmentId(), req.userId()))
        .map(a -> new ApiV1.AttachmentLink(a.id(), a.threadId(), a.name(), a.contentType(), a.size(),
            attachmentLinks.url(a.id()))));
    started = Future.all(started, attachmentLinkApi.completion()).mapEmpty();
    return started;
  }

  /** Called once an instance's server listens: the first one starts the heartbeat. */
  synchronized void listening() {
    if (!heartbeat.running()) {
      heartbeat.start();
      sweeper.start();
    }
  }

  /** Called by each instance's stop; the last one stops the once-only parts. */
  synchronized Future<Void> leave() {
    if (--instances > 0) {
      return Future.succeededFuture();
    }
    heartbeat.stop();
    sweeper.stop();
    connections.close();
    if (redis != null) {
      redis.close();
    }
    return revocations.stop(vertx)
        .eventually(() -> attachmentLinkApi.unregister())
        .eventually(() -> attachmentStore.close());
  }

  /** Dev login mints a token for anyone who asks: on an address others can reach, say so loudly. */
  static void warnIfDevLoginIsExposed(ChatConfig config) {
    if (config.devLogin() && !isLoopback(config.host())) {
      LOG.warn("""

          ********************************************************************************
          * DEV LOGIN IS ON AND THE GATEWAY LISTENS ON {}: anyone who can reach this
          * address can mint a token for any user. Set HOST=127.0.0.1 or CHAT_DEV_LOGIN=false.
          ********************************************************************************""", config.host());
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  TimedBus bus() { return bus; }

  UserDirectory users() { return users; }

  /** A verifier for the calling instance (its own JWT provider), sharing the verified-token memory. */
  TokenVerifier verifier(Vertx vertx) { return new TokenVerifier(vertx, config, tokens); }

  MessageSender sender() { return sender; }

  AttachmentStore attachmentStore() { return attachmentStore; }

  AttachmentLinks attachmentLinks() { return attachmentLinks; }

  RateLimiter uploadLimiter() { return uploadLimiter; }


  ReadMarker marker() { return marker; }

  Limiter typingLimiter() { return typingLimiter; }

  FrameLimits frameLimits() { return frameLimits; }

  Connections connections() { return connections; }

  SessionOwnership sessions() { return sessions; }

  Revocations revocations() { return revocations; }
}
