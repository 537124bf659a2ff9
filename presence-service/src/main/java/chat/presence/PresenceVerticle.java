package chat.presence;

import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.ClusterNode;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * presence-service: who is online and who is typing in each thread. Uses Redis when {@code REDIS_URL} is
 * set (shared by every instance), else this process's memory. Serves the internal presence addresses and
 * the service API's presence call, sweeps expired typing and silent gateways, and drops a gateway's users
 * as soon as the cluster reports that gateway gone.
 */
public final class PresenceVerticle extends VerticleBase {
  static final String READINESS_CHECK = "redis";
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final ChatConfig config;
  private final Clock clock;
  private PresenceStore store;
  private PresenceSweeper sweeper;
  private volatile boolean stopped;

  public PresenceVerticle(ChatConfig config) {
    this(config, Clock.systemUTC());
  }

  PresenceVerticle(ChatConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * One instance per process: without Redis the store is this instance's memory, so a second
   * instance would hold a second, disagreeing presence.
   */
  public static Deployment deployment(ChatConfig config) {
    return new Deployment(() -> new PresenceVerticle(config), 1);
  }

  @Override
  public Future<?> start() {
    store = createStore();
    PresencePublisher publisher = new PresencePublisher(vertx, new BrowserEvents(vertx, config.busRouting()));
    if (config.redisUrl() != null) {
      Readiness.register(vertx, READINESS_CHECK, store::ping);
    }
    List<MessageConsumer<Object>> consumers = new ArrayList<>(new PresenceHandler(store, publisher).register(vertx));
    consumers.add(new ApiV1Presence(store, new Bus(vertx, config.busTimeoutMs())).register(vertx));
    sweeper = new PresenceSweeper(vertx, store, publisher, clock);
    sweeper.start();
    ClusterNode.onMemberLeft(vertx, nodeId -> {
      if (!stopped) {
        context.runOnContext(v -> removeDepartedGateway(nodeId, publisher));
      }
    });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private void removeDepartedGateway(String nodeId, PresencePublisher publisher) {
    LOG.info("Cluster member {} left: dropping the presence of its connections", nodeId);
    store.removeGateway(nodeId)
        .onSuccess(publisher::publish)
        .onFailure(err -> LOG.warn("Could not drop the users of departed node {} now ({}); they expire with the heartbeat TTL",
            nodeId, err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    sweeper.stop();
    Readiness.unregister(vertx, READINESS_CHECK);
    return store.close();
  }

  private PresenceStore createStore() {
    Duration presenceTtl = Duration.ofSeconds(config.presenceTtlSeconds());
    Duration typingTtl = Duration.ofSeconds(config.typingTtlSeconds());
    if (config.redisUrl() == null) {
      LOG.info("REDIS_URL is not set: presence is kept in this process's memory");
      return new InMemoryPresenceStore(presenceTtl, typingTtl, clock);
    }
    Duration timeout = Duration.ofMillis(Math.max(200, Math.min(2000, config.busTimeoutMs() / 2)));
    return new RedisPresenceStore(vertx, config.redisUrl(), config.redisPrefix(), presenceTtl, typingTtl, timeout, clock);
  }
}
