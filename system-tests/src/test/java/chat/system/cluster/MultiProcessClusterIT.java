package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real thing: every service its own JVM from its fat jar, started by {@code scripts/cluster.sh}
 * (what {@code make cluster} runs) — two gateways and one messaging-, presence- and unread-service,
 * joined by Hazelcast on 127.0.0.1 under a cluster name of their own, sharing the machine's Postgres
 * (own schema) and Redis (own prefix). Processes are killed with SIGKILL and stopped and started
 * again; every message acknowledged with 201 is checked against history at the end. Runs with the default
 * {@code BUS_ROUTING=node}; {@link MultiProcessClusterAddressRoutingIT} runs it again with {@code address}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PRESENCE_TTL_SECONDS = 6;
  private static final int HEARTBEAT_SECONDS = 2;

  private static String isolation;
  private static ChatConfig config;
  private static LocalCluster cluster;
  private static Vertx vertx;
  private static ChatHttp gatewayA;
  private static ChatHttp gatewayB;
  /** Every message id acknowledged with 201, by thread. */
  private static final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
  /** A member of each thread, to read its history. */
  private static final Map<String, String> readers = new ConcurrentHashMap<>();
  private static final Map<String, String> tokens = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster(TestInfo info) {
    acknowledged.clear();
    readers.clear();
    tokens.clear();
    isolation = TestEnv.isolationName(TestEnv.testClass(info));
    Map<String, String> env = new HashMap<>(TestEnv.env(isolation));
    env.put(BusRouting.KEY, TestEnv.routing(info).name());
    env.remove("PORT");
    env.put("REDIS_URL", TestEnv.redisUrl());
    env.put("CHAT_RATE_LIMITS", "off");
    env.put("PRESENCE_TTL_SECONDS", String.valueOf(PRESENCE_TTL_SECONDS));
    env.put("HEARTBEAT_SECONDS", String.valueOf(HEARTBEAT_SECONDS));
    env.put("BUS_TIMEOUT_MS", "3000");
    config = ChatConfig.from(env);
    int[] ports = new int[10];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = TestEnv.freePort();
    }
    cluster = new LocalCluster(isolation, env, ports);
    cluster.start();
    vertx = Vertx.vertx();
    gatewayA = new ChatHttp(vertx, cluster.httpPort("gateway-1"));
    gatewayB = new ChatHttp(vertx, cluster.httpPort("gateway-2"));
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (vertx != null) {
        try {
          TestEnv.dropSchema(vertx, config);
          deleteRedisKeys(config.redisPrefix());
        } finally {
          vertx.close().await();
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("Every process answers the liveness and readiness paths the Kubernetes probes use")
  void everyProcessAnswersTheProbePaths() {
    Manifests k8s = Manifests.load(Repo.path("k8s"));
    Map<String, String> processOf = Map.of("gateway", "gateway-1", "messaging-service", "messaging",
        "presence-service", "presence", "unread-service", "unread");
    processOf.forEach((deployment, process) -> {
      Object container = Manifests.at(k8s.get("Deployment", deployment).body(), "spec", "template", "spec", "containers", 0);
      ChatHttp http = new ChatHttp(vertx, cluster.httpPort(process));
      for (String probe : List.of("livenessProbe", "readinessProbe")) {
        String path = Manifests.string(container, probe, "httpGet", "path");
        HttpResponse<Buffer> resp = http.get(path);
        assertEquals(200, resp.statusCode(), process + " " + path + ": " + resp.bodyAsString());
      }
      assertTrue(http.get("/metrics").bodyAsString().contains("jvm_"), process + " serves Prometheus metrics");
      http.close();
    });
  }

  @Test
  @Order(2)
  @DisplayName("A message sent through gateway A reaches a member's bridge connection on gateway B, in order")
  void messageThroughOneGatewayReachesTheOther() {
    String alice = user("alice");
    String bob = user("bob");
    String threadId = gatewayA.createThread(token(alice), "across processes", bob);
    try (BridgeClient a = BridgeClient.connect(vertx, gatewayA.port(), token(alice));
         BridgeClient b = BridgeClient.connect(vertx, gatewayB.port(), token(bob))) {
      String address = Addresses.thread(threadId);
      b.register(address);
      BridgeClient.awaitVisible(a, b, threadId, alice, WAIT);
      int mark = b.mark();
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        ids.add(sendAcknowledged(gatewayA, alice, threadId, "hello " + i).getString("id"));
      }
      for (String id : ids) {
        b.awaitEvent(mark, address, e -> "message:new".equals(e.getString("type"))
            && id.equals(e.getJsonObject("message").getString("id")), WAIT);
      }
      List<String> order = b.eventsSince(mark).stream().filter(e -> "message:new".equals(e.type()))
          .map(e -> e.body().getJsonObject("message").getString("id")).toList();
      assertEquals(ids, order);
    }
  }

  @Test
  @Order(3)
  @DisplayName("When gateway B is killed with kill -9, its users leave presence within the heartbeat window and gateway A keeps serving")
  void killedGatewayLeavesNoGhostsAndTheOtherKeepsServing() throws Exception {
    String alice = user("alice");
    String bob = user("bob");
    String threadId = gatewayA.createThread(token(alice), "a gateway dies", bob);
    String address = Addresses.thread(threadId);
    JsonObject thread = new JsonObject().put("threadId", threadId);
    try (BridgeClient a = BridgeClient.connect(vertx, gatewayA.port(), token(alice));
         BridgeClient b = BridgeClient.connect(vertx, gatewayB.port(), token(bob))) {
      a.register(address);
      b.register(address);
      BridgeClient.awaitVisible(b, a, threadId, bob, WAIT);
      a.call(Addresses.CLIENT_THREAD_JOIN, thread, WAIT);
      int mark = a.mark();
      JsonObject bobJoin = b.call(Addresses.CLIENT_THREAD_JOIN, thread, WAIT);
      assertTrue(bobJoin.getJsonArray("onlineUserIds").contains(alice), bobJoin::encode);
      a.awaitEvent(mark, address, e -> "presence:update".equals(e.getString("type"))
          && e.getJsonArray("onlineUserIds").contains(bob), WAIT);
      long lastSeenByBob = sendAcknowledged(gatewayA, alice, threadId, "before the crash").getLong("seq");

      AtomicBoolean sending = new AtomicBoolean(true);
      List<Integer> statuses = new CopyOnWriteArrayList<>();
      Thread sender = new Thread(() -> {
        int i = 0;
        while (sending.get()) {
          HttpResponse<Buffer> resp = gatewayA.send(token(alice), threadId, "during the crash " + ++i, UUID.randomUUID().toString());
          statuses.add(resp.statusCode());
          if (resp.statusCode() == 201) {
            record(alice, threadId, resp);
          }
          sleep(100);
        }
      }, "sender");
      sender.start();

      int afterJoin = a.mark();
      long killedAt = System.nanoTime();
      cluster.kill("gateway-2");
      assertTrue(b.awaitClosed(WAIT), "bob's connection to the killed gateway closes");
      BridgeClient.Event gone = a.awaitEvent(afterJoin, address, e -> "presence:update".equals(e.getString("type"))
          && !e.getJsonArray("onlineUserIds").contains(bob), Duration.ofSeconds(PRESENCE_TTL_SECONDS + 3L * HEARTBEAT_SECONDS + 5));
      long goneAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertEquals(List.of(alice), gone.body().getJsonArray("onlineUserIds").getList());
      assertTrue(goneAfterMs <= (PRESENCE_TTL_SECONDS + 2L * HEARTBEAT_SECONDS) * 1000 + 5000,
          "bob left presence " + goneAfterMs + " ms after his gateway died");

      sleep(1000);
      sending.set(false);
      sender.join(WAIT.toMillis());
      assertTrue(statuses.size() >= 5, "the sender kept going: " + statuses);
      assertTrue(statuses.stream().allMatch(s -> s == 201), "every send through gateway A succeeded: " + statuses);

      try (BridgeClient again = BridgeClient.connect(vertx, gatewayA.port(), token(bob))) {
        List<JsonObject> missed = history(bob, threadId).stream().filter(m -> m.getLong("seq") > lastSeenByBob).toList();
        assertEquals(statuses.size(), missed.size(), "bob catches up on every message sent while he was away");
        assertTrue(missed.stream().map(m -> m.getString("id")).allMatch(acknowledged.get(threadId)::contains));
        JsonObject join = again.call(Addresses.CLIENT_THREAD_JOIN, thread, WAIT);
        assertTrue(join.getJsonArray("onlineUserIds").contains(bob), join::encode);
      }
    }
  }

  @Test
  @Order(4)
  @DisplayName("With messaging-service stopped, a send answers 503 unavailable within 5 s; killed, 503 or 504 send_outcome_unknown (settled by a retry); it works again once it is back")
  void sendsFailFastWhileMessagingIsDownAndRecover() {
    String alice = user("alice");
    String threadId = gatewayA.createThread(token(alice), "a service dies");
    sendAcknowledged(gatewayA, alice, threadId, "before");

    cluster.stop("messaging");
    assertUnavailableWithinFiveSeconds(alice, threadId);
    cluster.start("messaging");
    sendEventuallyAcknowledged(alice, threadId, "after a restart");

    cluster.kill("messaging");
    String cid = UUID.randomUUID().toString();
    long start = System.nanoTime();
    HttpResponse<Buffer> resp = gatewayA.send(token(alice), threadId, "while crashed", cid);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    String error = resp.bodyAsJsonObject().getString("error");
    // A crashed service's handlers stay known until the cluster drops it: the gateway cannot tell whether the
    // send started, so 504 is the honest answer then.
    assertTrue((resp.statusCode() == 503 && "unavailable".equals(error))
        || (resp.statusCode() == 504 && "send_outcome_unknown".equals(error)), resp.bodyAsString());
    assertTrue(tookMs < 5000, resp.statusCode() + " after " + tookMs + " ms");
    cluster.start("messaging");
    sendEventuallyAcknowledged(alice, threadId, "after a crash");
    HttpResponse<Buffer> retry = gatewayA.send(token(alice), threadId, "while crashed", cid);
    assertTrue(retry.statusCode() == 200 || retry.statusCode() == 201, "a retry settles it: " + retry.bodyAsString());
    record(alice, threadId, retry);
  }

  @Test
  @Order(5)
  @DisplayName("No message acknowledged with 201 is missing from history, none is duplicated and seq has no gaps")
  void everyAcknowledgedMessageIsInHistory() {
    assertTrue(acknowledged.size() >= 3, "earlier tests acknowledged messages in several threads");
    for (Map.Entry<String, Set<String>> thread : acknowledged.entrySet()) {
      List<JsonObject> history = history(readers.get(thread.getKey()), thread.getKey());
      List<String> ids = history.stream().map(m -> m.getString("id")).toList();
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no duplicates in " + thread.getKey());
      assertEquals(LongStream.rangeClosed(1, history.size()).boxed().toList(),
          history.stream().map(m -> m.getLong("seq")).toList(), "seq is gap-free in " + thread.getKey());
      Set<String> missing = new HashSet<>(thread.getValue());
      missing.removeAll(ids);
      assertEquals(Set.of(), missing, "acknowledged but missing from " + thread.getKey());
    }
  }

  private static void assertUnavailableWithinFiveSeconds(String user, String threadId) {
    long start = System.nanoTime();
    HttpResponse<Buffer> resp = gatewayA.send(token(user), threadId, "while down", UUID.randomUUID().toString());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, resp.statusCode(), resp.bodyAsString());
    assertEquals("unavailable", resp.bodyAsJsonObject().getString("error"));
    assertTrue(tookMs < 5000, "503 after " + tookMs + " ms");
  }

  /** Right after a service joins, its handlers become visible to the gateway within about a second. */
  private static void sendEventuallyAcknowledged(String user, String threadId, String body) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String clientMessageId = UUID.randomUUID().toString();
    HttpResponse<Buffer> last = null;
    while (System.nanoTime() < deadline) {
      last = gatewayA.send(token(user), threadId, body, clientMessageId);
      if (last.statusCode() == 201 || last.statusCode() == 200) {
        record(user, threadId, last);
        return;
      }
      assertTrue(last.statusCode() == 503 || last.statusCode() == 504, last.bodyAsString());
      sleep(250);
    }
    throw new AssertionError("sends did not recover: " + (last == null ? "no response" : last.statusCode() + " " + last.bodyAsString()));
  }

  private static JsonObject sendAcknowledged(ChatHttp gateway, String user, String threadId, String body) {
    HttpResponse<Buffer> resp = gateway.send(token(user), threadId, body, UUID.randomUUID().toString());
    ChatHttp.expect(201, resp, "send");
    return record(user, threadId, resp);
  }

  private static JsonObject record(String user, String threadId, HttpResponse<Buffer> resp) {
    readers.putIfAbsent(threadId, user);
    JsonObject message = resp.bodyAsJsonObject().getJsonObject("message");
    acknowledged.computeIfAbsent(threadId, k -> ConcurrentHashMap.newKeySet()).add(message.getString("id"));
    return message;
  }

  private static List<JsonObject> history(String user, String threadId) {
    return gatewayA.history(token(user), threadId);
  }


  private static String user(String name) {
    String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    tokens.put(id, gatewayA.devToken(id));
    return id;
  }

  private static String token(String user) {
    return tokens.get(user);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRedisKeys(String prefix) {
    Redis redis = Redis.createClient(vertx, TestEnv.redisUrl());
    try {
      RedisConnection conn = redis.connect().await();
      String cursor = "0";
      do {
        Response page = conn.send(Request.cmd(Command.SCAN, cursor, "MATCH", prefix + "*", "COUNT", "1000")).await();
        cursor = page.get(0).toString();
        List<Object> keys = new ArrayList<>();
        page.get(1).forEach(k -> keys.add(k.toString()));
        if (!keys.isEmpty()) {
          conn.send(Request.cmd(Command.DEL, keys.toArray())).await();
        }
      } while (!"0".equals(cursor));
      conn.close();
    } finally {
      redis.close();
    }
  }
}
