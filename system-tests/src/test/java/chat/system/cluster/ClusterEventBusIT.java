package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three clustered Vert.x nodes in one JVM, joined by Hazelcast over TCP-IP on 127.0.0.1 under a cluster
 * name of their own, with mutual TLS between them: one runs messaging-, presence- and unread-service, the two others a gateway each.
 * Clients on different gateways see each other's messages, presence and typing.
 */
class ClusterEventBusIT {
  /** Fresh users for every test (JUnit makes a new instance per test). */
  private final String alice = "alice-" + UUID.randomUUID();
  private final String bob = "bob-" + UUID.randomUUID();

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static TwoGatewayCluster cluster;
  private static ChatHttp gatewayA;
  private static ChatHttp gatewayB;
  private static Vertx clientVertx;
  private static Vertx services;

  @BeforeAll
  static void startCluster() {
    cluster = TwoGatewayCluster.start(ClusterEventBusIT.class, 1);
    gatewayA = cluster.gatewayA;
    gatewayB = cluster.gatewayB;
    clientVertx = cluster.clientVertx;
    services = cluster.services;
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("The three processes form one cluster under their own name")
  void nodesFormOneCluster() {
    assertEquals(3, ClusterNode.members(services).size());
    assertEquals(3, cluster.nodes().stream().map(ClusterNode::nodeId).distinct().count());
  }

  @Test
  @DisplayName("An event published on the services' node reaches a bridge client connected to a gateway on another node")
  void eventPublishedOnOneNodeReachesABridgeClientOnAnother() {
    try (BridgeClient client = connect(gatewayB, bob)) {
      client.register(Addresses.user(bob));
      String address = Addresses.user(bob);
      awaitDelivery(client, address, () -> services.eventBus().publish(address, Events.unreadUpdate(probeThread(), 0, 0)));
      int mark = client.mark();
      for (int i = 1; i <= 20; i++) {
        services.eventBus().publish(address, Events.unreadUpdate(UUID.randomUUID().toString(), i, i));
      }
      for (int i = 1; i <= 20; i++) {
        long n = i;
        client.awaitEvent(mark, address, e -> e.getLong("unread", -1L) == n, WAIT);
      }
      List<Long> order = client.eventsSince(mark).stream().map(e -> e.body().getLong("unread")).toList();
      assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(), order, "one publisher's events arrive in order");
    }
  }

  @Test
  @DisplayName("A message sent through one gateway's bridge reaches a member connected to the other gateway")
  void messageSentThroughOneGatewayReachesTheOther() {
    String threadId = gatewayA.createThread(gatewayA.devToken(alice), "across gateways", bob);
    try (BridgeClient a = connect(gatewayA, alice); BridgeClient b = connect(gatewayB, bob)) {
      String address = Addresses.thread(threadId);
      b.register(address);
      BridgeClient.awaitVisible(a, b, threadId, alice, WAIT);

      int mark = b.mark();
      JsonObject sent = a.call(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", threadId).put("body", "hello from A").put("clientMessageId", "m1"), WAIT)
          .getJsonObject("message");
      BridgeClient.Event received = b.awaitEvent(mark, address,
          e -> "message:new".equals(e.getString("type")) && sent.getString("id").equals(e.getJsonObject("message").getString("id")),
          WAIT);
      assertEquals("hello from A", received.body().getJsonObject("message").getString("body"));
      assertEquals(alice, received.body().getJsonObject("message").getString("authorId"));
    }
  }

  @Test
  @DisplayName("Presence and typing look the same from both gateways")
  void presenceAndTypingAreTheSameFromBothGateways() {
    String threadId = gatewayB.createThread(gatewayB.devToken(bob), "presence across gateways", alice);
    String address = Addresses.thread(threadId);
    try (BridgeClient a = connect(gatewayA, alice); BridgeClient b = connect(gatewayB, bob)) {
      a.register(address);
      b.register(address);
      BridgeClient.awaitVisible(b, a, threadId, bob, WAIT);
      BridgeClient.awaitVisible(a, b, threadId, alice, WAIT);

      JsonObject aliceJoin = a.call(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", threadId), WAIT);
      assertTrue(aliceJoin.getJsonArray("onlineUserIds").contains(alice), aliceJoin::encode);
      int markA = a.mark();
      JsonObject bobJoin = b.call(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", threadId), WAIT);
      assertTrue(bobJoin.getJsonArray("onlineUserIds").contains(alice) && bobJoin.getJsonArray("onlineUserIds").contains(bob),
          bobJoin::encode);
      a.awaitEvent(markA, address, e -> "presence:update".equals(e.getString("type"))
          && e.getJsonArray("onlineUserIds").contains(bob) && e.getJsonArray("onlineUserIds").contains(alice), WAIT);

      b.close();
      BridgeClient.Event left = a.awaitEvent(markA, address, e -> "presence:update".equals(e.getString("type"))
          && !e.getJsonArray("onlineUserIds").contains(bob), WAIT);
      assertEquals(List.of(alice), left.body().getJsonArray("onlineUserIds").getList());
    }
  }


  /** Publishes probes until the client receives one: its registration is then visible on every node. */
  private static void awaitDelivery(BridgeClient client, String address, Runnable publishProbe) {
    int mark = client.mark();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      publishProbe.run();
      if (client.pollEvent(mark, address, e -> true, Duration.ofMillis(300)) != null) {
        return;
      }
    }
    throw new AssertionError("nothing published on " + address + " reached the client; errors: " + client.errors());
  }

  private static String probeThread() {
    return "00000000-0000-0000-0000-000000000000";
  }

  /** A bridge connection of {@code user} (dev-logged-in there) to {@code gateway}. */
  private static BridgeClient connect(ChatHttp gateway, String user) {
    return BridgeClient.connect(clientVertx, gateway.port(), gateway.devToken(user));
  }
}
