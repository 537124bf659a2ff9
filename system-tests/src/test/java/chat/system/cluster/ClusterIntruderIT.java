package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.runtime.ClusterNode;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.Await;
import chat.shared.testing.BridgeClient;
import chat.shared.testing.BrowserFeed;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who may talk on the bus. The chat runs as real processes ({@code scripts/cluster.sh}: messaging-service
 * and a gateway, mutual TLS with the script's throwaway CA); the nodes that try to get in are clustered
 * Vert.x instances in this JVM, each with a Hazelcast member of its own, reaching the processes over
 * TCP exactly as another JVM would (what they can do depends only on their certificate and the network,
 * and here they can assert on what they see). A node that knows the cluster name but holds no
 * certificate, or one from another CA, joins Hazelcast's membership and its subscription map (open-source
 * Hazelcast authenticates nobody), but can neither send to nor hear any chat address; a node with the
 * cluster CA's certificate can do both.
 */
class ClusterIntruderIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long INTRUDER_TIMEOUT_MS = 3000;

  private static String isolation;
  private static ChatConfig config;
  private static LocalCluster cluster;
  private static Vertx client;
  private static ChatHttp gateway;
  private static TestCerts clusterCa;
  private static Vertx trusted;

  private final String alice = "alice-" + UUID.randomUUID();
  private final String bob = "bob-" + UUID.randomUUID();

  @BeforeAll
  static void startCluster() {
    isolation = TestEnv.isolationName(ClusterIntruderIT.class);
    Map<String, String> env = new HashMap<>(TestEnv.env(isolation));
    env.remove("PORT");
    env.put("REDIS_URL", TestEnv.redisUrl());
    env.put("CHAT_RATE_LIMITS", "off");
    env.put("BUS_TIMEOUT_MS", "10000");
    config = ChatConfig.from(env);
    int[] ports = new int[10];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = TestEnv.freePort();
    }
    cluster = new LocalCluster(isolation, env, ports);
    cluster.start("messaging", "gateway-1");
    client = Vertx.vertx();
    gateway = new ChatHttp(client, cluster.httpPort("gateway-1"));
    // The first request opens the gateway's TLS connection to messaging in two cold JVMs.
    awaitTrue(ClusterIntruderIT::devTokenWorks, "the gateway reaches messaging");
    clusterCa = TestCerts.in(cluster.certs());
    trusted = VertxFactory.clustered(nodeConfig(clusterCa.env("trusted-test-node"))).await();
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (trusted != null) {
        trusted.close().await();
      }
    } finally {
      try {
        if (cluster != null) {
          cluster.close();
        }
      } finally {
        if (client != null) {
          try {
            TestEnv.dropSchema(client, config);
          } finally {
            client.close().await();
          }
        }
      }
    }
  }

  @Test
  @DisplayName("A node with the cluster name but no certificate joins Hazelcast and its subscription map, yet sends and hears nothing and stores nothing")
  void nodeWithoutCertificateCannotTalk() {
    intrude(Map.of("CLUSTER_TLS", "off"));
  }

  @Test
  @DisplayName("A node with a certificate from another CA (trusting the cluster's CA, which is no secret) joins Hazelcast and its subscription map, yet sends and hears nothing and stores nothing")
  void nodeWithAnotherCasCertificateCannotTalk() {
    Map<String, String> tls = new HashMap<>(TestCerts.newCa().env("intruder"));
    tls.put("CLUSTER_TLS_CA", clusterCa.dir().resolve("ca.pem").toString());
    intrude(tls);
  }

  @Test
  @DisplayName("A node with a certificate from the cluster's CA is trusted: it sends as a user and hears that user's events")
  void nodeWithTheClustersCertificateIsTrusted() {
    String threadId = gateway.createThread(gateway.devToken(alice), "trusted node", bob);
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    BrowserFeed.open(trusted, Addresses.user(bob), heard::add);
    awaitRegistered(Addresses.GATEWAY_EVENTS, ClusterNode.nodeId(trusted));

    JsonObject reply = trusted.eventBus().<JsonObject>request(Addresses.MESSAGE_SEND, sendAs(alice, threadId, "from a service"),
        new DeliveryOptions().setSendTimeout(WAIT.toMillis())).await().body();
    String id = reply.getJsonObject("message").getString("id");
    awaitTrue(() -> heard.stream().anyMatch(e -> id.equals(messageId(e))), "the trusted node hears bob's message:new");
    assertEquals(List.of("from a service"), bodies(threadId));
  }

  /** One intruder: what it can do in Hazelcast, and that the bus refuses it in both directions. */
  private void intrude(Map<String, String> tls) {
    String aliceToken = gateway.devToken(alice);
    String threadId = gateway.createThread(aliceToken, "guarded", bob);
    try (BridgeClient bobsBrowser = BridgeClient.connect(client, gateway.port(), gateway.devToken(bob))) {
      bobsBrowser.register(Addresses.user(bob));
      bobsBrowser.awaitRegistered(trusted, Addresses.user(bob));
      // BUS_ROUTING=node: the gateway's one subscription carries bob's events
      assertFalse(registrations(trusted, Addresses.GATEWAY_EVENTS).isEmpty(), "the gateway's subscription is in the map");

      Vertx intruder = VertxFactory.clustered(nodeConfig(tls)).await();
      try {
        String intruderId = ClusterNode.nodeId(intruder);
        // What Hazelcast lets it do: it is a member, reads who listens where, and writes its own subscriptions.
        assertTrue(ClusterNode.members(trusted).contains(intruderId), "it joined the membership");
        assertFalse(registrations(intruder, Addresses.GATEWAY_EVENTS).isEmpty(), "it reads the subscription map");
        List<JsonObject> heard = new CopyOnWriteArrayList<>();
        for (String address : List.of(Addresses.user(bob), Addresses.thread(threadId))) {
          BrowserFeed.open(intruder, address, heard::add);
        }
        for (String address : List.of(Addresses.user(bob), Addresses.thread(threadId), Addresses.GATEWAY_EVENTS)) {
          awaitRegistered(address, intruderId);
        }

        // What the bus refuses: a request as alice gets no answer, a forged event reaches nobody.
        Throwable sendFailure = failureOf(intruder.eventBus().request(Addresses.MESSAGE_SEND, sendAs(alice, threadId, "forged"),
            new DeliveryOptions().setSendTimeout(INTRUDER_TIMEOUT_MS)));
        ReplyException refused = assertInstanceOf(ReplyException.class, sendFailure, "the intruder's send is not answered");
        assertEquals(ReplyFailure.TIMEOUT, refused.failureType(), refused.getMessage());
        int mark = bobsBrowser.mark();
        new BrowserEvents(intruder, BusRouting.DUAL).toUser(bob, new JsonObject().put("type", "message:new")
            .put("message", new JsonObject().put("id", "forged").put("body", "forged")));

        // A real send: bob's browser gets it, the intruder's subscriptions get nothing.
        HttpResponse<Buffer> sent = gateway.send(aliceToken, threadId, "real", "c1");
        ChatHttp.expect(201, sent, "alice's send");
        String legit = sent.bodyAsJsonObject().getJsonObject("message").getString("id");
        bobsBrowser.awaitEvent(mark, Addresses.user(bob), e -> legit.equals(messageId(e)), WAIT);
        Await.pause(2000);
        // Its own publish reaches its own consumers; nothing else does.
        assertEquals(List.of(), heard.stream().filter(e -> !"forged".equals(messageId(e))).toList(), "the intruder heard nothing");
        assertTrue(bobsBrowser.eventsSince(mark).stream().noneMatch(e -> "forged".equals(messageId(e.body()))),
            "bob never got the forged event");
        assertEquals(List.of("real"), bodies(threadId), "nothing the intruder tried is stored");

        // What the subscription map still allows (why the NetworkPolicy keeps it off 5701): advertising a
        // consumer for an internal address takes a share of its requests, which then time out unanswered.
        AtomicInteger stolen = new AtomicInteger();
        intruder.eventBus().<JsonObject>consumer(Addresses.MESSAGE_SEND, m -> stolen.incrementAndGet()).completion().await();
        awaitRegistered(Addresses.MESSAGE_SEND, intruderId);
        int timedOut = 0;
        for (int i = 0; i < 4; i++) {
          Throwable failure = failureOf(trusted.eventBus().request(Addresses.MESSAGE_SEND, sendAs(alice, threadId, "probe " + i),
              new DeliveryOptions().setSendTimeout(INTRUDER_TIMEOUT_MS)));
          if (failure instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
            timedOut++;
          }
        }
        assertTrue(timedOut > 0 && timedOut < 4, timedOut + " of 4 requests timed out");
        assertEquals(0, stolen.get(), "no request reached the intruder");
        assertEquals(List.of(), heard.stream().filter(e -> !"forged".equals(messageId(e))).toList());
      } finally {
        intruder.close().await();
      }
    }
  }

  /** A node joining this cluster's Hazelcast members under its name, with the given TLS settings. */
  private static ChatConfig.Cluster nodeConfig(Map<String, String> tls) {
    Map<String, String> env = new HashMap<>(tls);
    env.put("CLUSTER_ENABLED", "true");
    env.put("CLUSTER_NAME", isolation);
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(TestEnv.freePort()));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + cluster.hazelcastPort("messaging") + ",127.0.0.1:" + cluster.hazelcastPort("gateway-1"));
    return ChatConfig.from(env).cluster();
  }

  private static boolean devTokenWorks() {
    try {
      gateway.devToken("warm-up");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** How {@code future} failed, or null when it succeeded. */
  private static Throwable failureOf(Future<?> future) {
    return future.<Throwable>transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  private static JsonObject sendAs(String userId, String threadId, String body) {
    return new JsonObject().put("userId", userId).put("threadId", threadId).put("body", body)
        .put("clientMessageId", UUID.randomUUID().toString());
  }

  private static String messageId(JsonObject event) {
    JsonObject message = event.getJsonObject("message");
    return message == null ? null : message.getString("id");
  }

  private List<String> bodies(String threadId) {
    return gateway.history(gateway.devToken(alice), threadId).stream().map(m -> m.getString("body")).toList();
  }

  private static List<RegistrationInfo> registrations(Vertx node, String address) {
    Promise<List<RegistrationInfo>> found = Promise.promise();
    ((VertxInternal) node).clusterManager().getRegistrations(address, found);
    return Await.result(found.future());
  }

  /** Waits until the trusted node sees {@code nodeId}'s subscription to {@code address} in the map. */
  private static void awaitRegistered(String address, String nodeId) {
    awaitTrue(() -> registrations(trusted, address).stream().anyMatch(r -> nodeId.equals(r.nodeId())),
        nodeId + " subscribed to " + address + " in the map");
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Await.pause(100);
    }
  }
}
