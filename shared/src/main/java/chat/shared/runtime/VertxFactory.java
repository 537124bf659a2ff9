package chat.shared.runtime;

import chat.shared.config.ChatConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the process's Vert.x: local, or joined to the Hazelcast cluster described by the config. A
 * clustered Vert.x registers the readiness check {@code cluster} (down once this node is no longer an
 * active member).
 */
public final class VertxFactory {
  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  public static Vertx local() {
    return Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory(ChatMetrics.registry())).build();
  }

  /**
   * Joins the cluster. The event-bus connections between nodes use mutual TLS unless
   * {@code CLUSTER_TLS=off}; without a complete, readable certificate the start fails (nothing joins).
   */
  public static Future<Vertx> clustered(ChatConfig.Cluster cluster) {
    VertxOptions options = options();
    EventBusOptions eb = options.getEventBusOptions().setHost(cluster.host()).setPort(cluster.busPort());
    if (cluster.publicHost() != null) {
      eb.setClusterPublicHost(cluster.publicHost());
    }
    try {
      mutualTls(eb, cluster.tls());
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(ChatMetrics.registry()))
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
        .buildClustered()
        .onSuccess(vertx -> Readiness.register(vertx, "cluster", () -> ClusterNode.isActive(vertx)
            ? Future.succeededFuture()
            : Future.failedFuture("not an active member of cluster " + cluster.name())));
  }

  /**
   * Every node is both server and client of the others: it presents its certificate either way, and
   * requires the peer's, signed by the cluster CA. The bus trusts every server certificate by default
   * ({@code trustAll}), which would let a node of another CA receive what is sent to its subscriptions.
   * No host-name check (Vert.x sets none for the bus): pod addresses change, so a certificate from the CA
   * is the node's whole identity.
   */
  static void mutualTls(EventBusOptions eb, ChatConfig.Tls tls) {
    if (!tls.on()) {
      LOG.warn("{}=off: the cluster's event bus is plain TCP; any process that reaches its ports can send and "
          + "listen as any user (a trusted single host only)", ChatConfig.Tls.SWITCH);
      return;
    }
    List<String> missing = tls.missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("The cluster needs this node's certificate: set " + String.join(", ", missing)
          + " (PEM files: " + ChatConfig.Tls.CERT + ", " + ChatConfig.Tls.KEY + ", " + ChatConfig.Tls.CA
          + "), or " + ChatConfig.Tls.SWITCH + "=off on a trusted single host only");
    }
    readable(ChatConfig.Tls.CERT, tls.certPath());
    readable(ChatConfig.Tls.KEY, tls.keyPath());
    readable(ChatConfig.Tls.CA, tls.caPath());
    eb.setSsl(true)
        .setTrustAll(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private static void readable(String key, String path) {
    if (!Files.isReadable(Path.of(path)) || Files.isDirectory(Path.of(path))) {
      throw new IllegalStateException(key + ": cannot read the file " + path);
    }
  }

  /** Hazelcast: no multicast; TCP-IP on the configured members, or the Kubernetes API discovery. */
  static Config hazelcast(ChatConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    if (cluster.publicHost() != null) {
      config.getNetworkConfig().setPublicAddress(cluster.publicHost());
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetes()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-name", cluster.kubernetesService());
      if (cluster.kubernetesNamespace() != null) {
        join.getKubernetesConfig().setProperty("namespace", cluster.kubernetesNamespace());
      }
    } else {
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return config;
  }

  /**
   * Vert.x's own per-event meters (every bus message, HTTP request and socket read/write) cost more CPU
   * than they are worth on the hot path, so those domains are off; JVM metrics, pools, verticles and the
   * application's {@code chat_*} meters (HTTP requests by route, bus request latency, connections,
   * messages and events) stay.
   */
  private static VertxOptions options() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    for (MetricsDomain hot : HOT_DOMAINS) {
      metrics.addDisabledMetricsCategory(hot);
    }
    return new VertxOptions().setMetricsOptions(metrics);
  }

  static final List<MetricsDomain> HOT_DOMAINS = List.of(
      MetricsDomain.EVENT_BUS, MetricsDomain.HTTP_SERVER, MetricsDomain.HTTP_CLIENT,
      MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT, MetricsDomain.DATAGRAM_SOCKET);
}
