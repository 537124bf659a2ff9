package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.testing.BusEvents;
import chat.shared.testing.Await;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.model.Events;
import chat.shared.runtime.ClusterNode;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** presence-service in a Hazelcast cluster, reacting to a gateway node leaving it. */
@DisplayName("presence-service in a cluster")
class PresenceClusterIT {
  private Vertx presenceNode;
  private Vertx gatewayNode;

  @AfterEach
  void close() {
    if (gatewayNode != null) {
      Await.result(gatewayNode.close());
    }
    if (presenceNode != null) {
      Await.result(presenceNode.close());
    }
  }

  @Test
  @DisplayName("When a gateway node leaves the cluster, its users leave presence at once, long before the heartbeat TTL")
  void departedGatewayLosesItsUsersAtOnce() {
    int port = TestEnv.freePort();
    Map<String, String> env = TestEnv.env(TestEnv.isolationName(PresenceClusterIT.class));
    env.put("CLUSTER_NAME", "presence-it-" + UUID.randomUUID());
    env.put("CLUSTER_PORT", String.valueOf(port));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + port);
    env.put("PRESENCE_TTL_SECONDS", "120");
    env.putAll(TestCerts.newCa().env("node"));
    ChatConfig config = ChatConfig.from(env);

    presenceNode = Await.result(VertxFactory.clustered(config.cluster()));
    Await.result(presenceNode.deployVerticle(new PresenceVerticle(config)));
    gatewayNode = Await.result(VertxFactory.clustered(config.cluster()));
    String thread = UUID.randomUUID().toString();
    try (BusEvents events = BusEvents.open(presenceNode, Addresses.thread(thread))) {
      Bus gatewayBus = new Bus(gatewayNode, 10_000);
      for (String user : List.of("alice", "bob")) {
        Await.result(gatewayBus.request(Addresses.PRESENCE_JOIN, new JsonObject()
            .put("threadId", thread).put("userId", user).put("connectionId", user + "-1")
            .put("gatewayId", ClusterNode.nodeId(gatewayNode))));
      }
      assertEquals(Events.presenceUpdate(thread, List.of("alice")), events.next(10));
      assertEquals(Events.presenceUpdate(thread, List.of("alice", "bob")), events.next(10));

      Await.result(gatewayNode.close());
      gatewayNode = null;
      assertEquals(Events.presenceUpdate(thread, List.of()), events.next(20));
    }
  }
}
