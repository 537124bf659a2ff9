package chat.gateway;

import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.protocol.Messaging;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one gateway, shared by every {@link GatewayVerticle} instance of its deployment (one
 * HTTP server per event loop, all on the same port): the live bridge connections and their limits,
 * SockJS session owners, the rate limiters, the verified-token and known-user caches. The once-only
 * parts (the member-removed consumer and the presence heartbeat) run while at least one instance is
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
  private RateLimiter typingLimiter;
  private Connections connections;
  private SessionOwnership sessions;
  private PresenceHeartbeat heartbeat;
  private MessageConsumer<Object> memberRemoved;
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

  /** Called by each instance's start; the first one builds the shared parts. */
  synchronized void join(Vertx vertx) {
    if (instances++ > 0) {
      return;
    }
    warnIfDevLoginIsExposed(config);
    bus = new TimedBus(vertx, config.busTimeoutMs());
    users = new UserDirectory(vertx, bus);
    sender = new MessageSender(bus,
        new RateLimiter(limits.enabled(), limits.sendsPerSecond(), limits.sendBurst()));
    typingLimiter = new RateLimiter(limits.enabled(), limits.typingPerSecond(), limits.typingBurst());
    marker = new ReadMarker(bus);
    connections = new Connections(limits);
    sessions = new SessionOwnership();
    heartbeat = new PresenceHeartbeat(vertx, bus, connections, config.heartbeatSeconds());
    memberRemoved = Bus.consume(vertx, Messaging.MEMBER_REMOVED, e -> connections.revoke(e.userId(), e.threadId()));
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
    return memberRemoved.unregister().eventually(() -> attachmentStore.close());
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

  AttachmentSweeper sweeper() { return sweeper; }

  ReadMarker marker() { return marker; }

  RateLimiter typingLimiter() { return typingLimiter; }

  FrameLimits frameLimits() { return frameLimits; }

  Connections connections() { return connections; }

  SessionOwnership sessions() { return sessions; }
}
