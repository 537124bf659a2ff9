package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The middle of the rolling upgrade to node routing (docs/scale.md): the services publish with
 * {@code BUS_ROUTING=dual}, gateway A still consumes per address as the previous release does, gateway B
 * already routes by node. Nobody misses an event and nobody gets one twice.
 */
class RoutingUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TwoGatewayCluster cluster;

  private final String alice = "alice-" + UUID.randomUUID();
  private final String bob = "bob-" + UUID.randomUUID();

  @BeforeAll
  static void startCluster() {
    cluster = TwoGatewayCluster.start(RoutingUpgradeIT.class, 1, BusRouting.DUAL, BusRouting.ADDRESS, BusRouting.NODE);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("With the services in dual, a member on a per-address gateway and one on a node-routing gateway each get every message once, on the thread and on their own address")
  void everyEventOnceOnBothKindsOfGateway() {
    ChatHttp gatewayA = cluster.gatewayA;
    String threadId = gatewayA.createThread(gatewayA.devToken(alice), "upgrade", bob);
    String thread = Addresses.thread(threadId);
    try (BridgeClient a = BridgeClient.connect(cluster.clientVertx, gatewayA.port(), gatewayA.devToken(alice));
         BridgeClient b = BridgeClient.connect(cluster.clientVertx, cluster.gatewayB.port(), cluster.gatewayB.devToken(bob))) {
      a.register(thread);
      a.register(Addresses.user(alice));
      b.register(thread);
      b.register(Addresses.user(bob));
      BridgeClient.awaitVisible(a, b, threadId, alice, WAIT);
      BridgeClient.awaitVisible(b, a, threadId, bob, WAIT);
      a.awaitRegistered(cluster.services, Addresses.user(alice));
      b.awaitRegistered(cluster.services, Addresses.user(bob));

      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ChatHttp via = i % 2 == 0 ? gatewayA : cluster.gatewayB;
        String author = i % 2 == 0 ? alice : bob;
        var resp = via.send(via.devToken(author), threadId, "m" + i, "c" + i);
        ChatHttp.expect(201, resp, "send " + i);
        sent.add(resp.bodyAsJsonObject().getJsonObject("message").getString("id"));
      }
      String last = sent.get(sent.size() - 1);
      for (BridgeClient client : List.of(a, b)) {
        String own = client == a ? Addresses.user(alice) : Addresses.user(bob);
        for (String address : List.of(thread, own)) {
          client.awaitEvent(0, address, e -> last.equals(messageId(e)), WAIT);
          Map<String, Long> seen = client.received(address).stream()
              .filter(e -> "message:new".equals(e.getString("type")))
              .collect(Collectors.groupingBy(RoutingUpgradeIT::messageId, Collectors.counting()));
          assertEquals(sent.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)), seen,
              (client == a ? "gateway A (address)" : "gateway B (node)") + " on " + address);
        }
      }
    }
  }

  private static String messageId(JsonObject event) {
    return event.getJsonObject("message") == null ? null : event.getJsonObject("message").getString("id");
  }
}
