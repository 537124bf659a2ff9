package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.TestEnv;
import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.model.Events;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Three clustered Vert.x nodes in one JVM, joined by Hazelcast over TCP-IP on 127.0.0.1 under a cluster
 * name of their own, with mutual TLS between them: one runs messaging-, presence- and unread-service, the two others a gateway each.
 * Clients on different gateways see each other's messages, presence and typing. Runs with the default
 * {@code BUS_ROUTING=node}; {@link ClusterEventBusAddressRoutingIT} runs it all again with {@code address}.
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
  private static BusRouting routing;
  private static BrowserEvents browsers;
  private final String eve = "eve-" + UUID.randomUUID();

  @BeforeAll
  static void startCluster(TestInfo info) {
    routing = TestEnv.routing(info);
    cluster = TwoGatewayCluster.start(TestEnv.testClass(info), 1, routing);
    gatewayA = cluster.gatewayA;
    gatewayB = cluster.gatewayB;
    clientVertx = cluster.clientVertx;
    services = cluster.services;
    browsers = new BrowserEvents(services, routing);
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
      awaitDelivery(client, address, () -> browsers.toUser(bob, Events.unreadUpdate(probeThread(), 0, 0)));
      int mark = client.mark();
      for (int i = 1; i <= 20; i++) {
        browsers.toUser(bob, Events.unreadUpdate(UUID.randomUUID().toString(), i, i));
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
  @DisplayName("Sockets registering their user and threads add subscriptions to the cluster's map only with address routing; with node routing the map holds one gateway-events subscription per gateway instance and none per address")
  void subscriptionsInTheClusterMap() {
    String t1 = gatewayA.createThread(gatewayA.devToken(alice), "map one", bob);
    String t2 = gatewayA.createThread(gatewayA.devToken(alice), "map two", bob);
    List<String> addresses = List.of(Addresses.user(bob), Addresses.thread(t1), Addresses.thread(t2));
    String gatewayBNode = ClusterNode.nodeId(cluster.nodes().get(2));
    try (BridgeClient b = connect(gatewayB, bob)) {
      addresses.forEach(b::register);
      addresses.forEach(address -> b.awaitRegistered(services, address));
      for (String address : addresses) {
        List<String> nodes = TwoGatewayCluster.registrations(services, address).stream().map(RegistrationInfo::nodeId).toList();
        if (routing.consumesPerAddress()) {
          assertEquals(List.of(gatewayBNode), nodes, "gateway B consumes " + address);
        } else {
          assertEquals(List.of(), nodes, "no node consumes " + address);
        }
      }
      List<String> gatewayEvents = TwoGatewayCluster.registrations(services, Addresses.GATEWAY_EVENTS).stream()
          .map(RegistrationInfo::nodeId).sorted().toList();
      List<String> gatewayNodes = cluster.nodes().subList(1, 3).stream().map(ClusterNode::nodeId).sorted().toList();
      assertEquals(routing.consumesPerAddress() ? List.of() : gatewayNodes, gatewayEvents,
          "one gateway-events subscription per gateway instance (one instance each here)");
    }
  }

  @Test
  @DisplayName("A thread's events reach no socket of a non-member, on the gateway where a member's socket holds the thread: her registers of the thread and of the member's address are refused, and she hears nothing of it")
  void nonMemberOnTheOtherGatewayHearsNothing() {
    String threadId = gatewayB.createThread(gatewayB.devToken(alice), "members only", bob);
    String thread = Addresses.thread(threadId);
    try (BridgeClient a = connect(gatewayB, alice); BridgeClient b = connect(gatewayA, bob);
         BridgeClient e = connect(gatewayA, eve)) {
      b.register(thread);
      b.register(Addresses.user(bob));
      e.register(Addresses.user(eve));
      e.register(thread);
      e.register(Addresses.user(bob));
      assertEquals("rejected", e.nextError().getString("body"));
      assertEquals("rejected", e.nextError().getString("body"));
      BridgeClient.awaitVisible(a, b, threadId, alice, WAIT);
      e.awaitRegistered(services, Addresses.user(eve));

      int mark = b.mark();
      JsonObject sent = a.call(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", threadId).put("body", "for members").put("clientMessageId", "m1"), WAIT)
          .getJsonObject("message");
      String id = sent.getString("id");
      b.awaitEvent(mark, thread, ev -> id.equals(messageId(ev)), WAIT);
      b.awaitEvent(mark, Addresses.user(bob), ev -> id.equals(messageId(ev)), WAIT);
      // eve's own address is live on the same gateway: a later event there arrives after anything of the thread would have
      int eveMark = e.mark();
      browsers.toUser(eve, Events.unreadUpdate(probeThread(), 7, 7));
      e.awaitEvent(eveMark, Addresses.user(eve), ev -> ev.getLong("unread", -1L) == 7, WAIT);
      assertEquals(List.of(), e.eventsSince(0).stream()
          .filter(ev -> !ev.address().equals(Addresses.user(eve)) || ev.body().encode().contains(threadId)).toList(),
          "eve heard nothing of the thread");
    }
  }

  private static String messageId(JsonObject event) {
    return event.getJsonObject("message") == null ? null : event.getJsonObject("message").getString("id");
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
