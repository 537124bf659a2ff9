package chat.system.cluster;

import chat.gateway.GatewayVerticle;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import chat.unread.UnreadVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three clustered Vert.x nodes in one JVM, joined by Hazelcast over TCP-IP on 127.0.0.1 under a cluster name of
 * the test class's own, with mutual TLS between them: {@link #services} runs messaging-, presence- and
 * unread-service, the two others a gateway each ({@link #gatewayA}, {@link #gatewayB}, rate limits off).
 */
final class TwoGatewayCluster implements AutoCloseable {
  final Vertx services;
  final ChatHttp gatewayA;
  final ChatHttp gatewayB;
  /** The tests' own Vert.x, for clients. */
  final Vertx clientVertx;
  private final List<Vertx> nodes;
  private final ChatConfig servicesConfig;

  private TwoGatewayCluster(List<Vertx> nodes, ChatConfig servicesConfig, ChatHttp gatewayA, ChatHttp gatewayB,
      Vertx clientVertx) {
    this.nodes = nodes;
    this.services = nodes.get(0);
    this.servicesConfig = servicesConfig;
    this.gatewayA = gatewayA;
    this.gatewayB = gatewayB;
    this.clientVertx = clientVertx;
  }

  /** Starts the cluster; each gateway deploys {@code gatewayInstances} verticle instances; every node routes as {@code routing}. */
  static TwoGatewayCluster start(Class<?> testClass, int gatewayInstances, BusRouting routing) {
    return start(testClass, gatewayInstances, routing, routing, routing);
  }

  /** As {@link #start(Class, int, BusRouting)}, each node with its own {@code BUS_ROUTING} (a rolling upgrade). */
  static TwoGatewayCluster start(Class<?> testClass, int gatewayInstances, BusRouting servicesRouting,
      BusRouting gatewayA, BusRouting gatewayB) {
    String isolation = TestEnv.isolationName(testClass);
    int[] hz = {TestEnv.freePort(), TestEnv.freePort(), TestEnv.freePort()};
    Map<String, String> env = new HashMap<>(TestEnv.env(isolation));
    env.put("CLUSTER_NAME", isolation);
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2]);
    env.put("CHAT_RATE_LIMITS", "off");
    env.put("VERTICLE_INSTANCES", String.valueOf(gatewayInstances));
    env.putAll(TestCerts.newCa().env("node"));

    List<Vertx> nodes = new ArrayList<>();
    ChatConfig servicesConfig = config(env, hz[0], TestEnv.freePort(), servicesRouting);
    Vertx services = node(nodes, servicesConfig);
    services.deployVerticle(new MessagingVerticle(servicesConfig)).await();
    services.deployVerticle(new PresenceVerticle(servicesConfig)).await();
    services.deployVerticle(new UnreadVerticle(servicesConfig)).await();

    ChatConfig configA = config(env, hz[1], TestEnv.freePort(), gatewayA);
    ChatConfig configB = config(env, hz[2], TestEnv.freePort(), gatewayB);
    GatewayVerticle.deployment(configA).deploy(node(nodes, configA)).await();
    GatewayVerticle.deployment(configB).deploy(node(nodes, configB)).await();

    Vertx clientVertx = Vertx.vertx();
    return new TwoGatewayCluster(nodes, servicesConfig, new ChatHttp(clientVertx, configA.port()),
        new ChatHttp(clientVertx, configB.port()), clientVertx);
  }

  /** Every node, the services' first. */
  List<Vertx> nodes() {
    return List.copyOf(nodes);
  }

  /** Who consumes {@code address}, as {@code node}'s cluster manager sees the subscription map. */
  static List<RegistrationInfo> registrations(Vertx node, String address) {
    Promise<List<RegistrationInfo>> found = Promise.promise();
    ((VertxInternal) node).clusterManager().getRegistrations(address, found);
    return found.future().await();
  }

  private static ChatConfig config(Map<String, String> env, int clusterPort, int httpPort, BusRouting routing) {
    Map<String, String> own = new HashMap<>(env);
    own.put(BusRouting.KEY, routing.name());
    own.put("CLUSTER_PORT", String.valueOf(clusterPort));
    own.put("PORT", String.valueOf(httpPort));
    return ChatConfig.from(own);
  }

  private static Vertx node(List<Vertx> nodes, ChatConfig config) {
    Vertx vertx = VertxFactory.clustered(config.cluster()).await();
    nodes.add(vertx);
    return vertx;
  }

  /** Closes the clients' Vert.x and every node (gateways first), then drops the test's schema. */
  @Override
  public void close() {
    clientVertx.close().await();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().await();
    }
    Vertx cleanup = Vertx.vertx();
    try {
      TestEnv.dropSchema(cleanup, servicesConfig);
    } finally {
      cleanup.close().await();
    }
  }
}
