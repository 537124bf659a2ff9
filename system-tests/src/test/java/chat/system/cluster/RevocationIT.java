package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.testing.BridgeClient;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Member removal under attack, on two gateways of one Hazelcast cluster (three clustered nodes in one JVM:
 * the services, gateway A, gateway B): the removed member's sockets on both gateways keep sending joins
 * and registers while an admin removes them; nothing of the thread produced after the 204 reaches them,
 * {@code thread:removed} does, and a re-add followed by a register works every time. Runs with the default
 * {@code BUS_ROUTING=node}; {@link RevocationAddressRoutingIT} runs it again with {@code address}.
 */
class RevocationIT {
  private static final int ROUNDS = Integer.getInteger("revocation.rounds", 50);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static TwoGatewayCluster cluster;
  private static ChatHttp gatewayA;
  private static ChatHttp gatewayB;
  private static Vertx clientVertx;

  @BeforeAll
  static void startCluster(TestInfo info) {
    cluster = TwoGatewayCluster.start(TestEnv.testClass(info), 2, TestEnv.routing(info));
    gatewayA = cluster.gatewayA;
    gatewayB = cluster.gatewayB;
    clientVertx = cluster.clientVertx;
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("A removed member flooding joins and registers on two gateways receives nothing of the thread after the 204, gets thread:removed, and can register again after a re-add, in every one of 50 rounds")
  void revocationIsExactUnderRacingJoins() {
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    String carol = "carol-" + UUID.randomUUID();
    String aliceToken = gatewayA.devToken(alice);
    String threadId = gatewayA.createThread(aliceToken, "revocation", bob, carol);
    String threadAddress = Addresses.thread(threadId);
    String bobAddress = Addresses.user(bob);
    String join = new JsonObject().put("type", "send").put("address", Addresses.CLIENT_THREAD_JOIN)
        .put("body", new JsonObject().put("threadId", threadId)).encode();
    String register = new JsonObject().put("type", "register").put("address", threadAddress).encode();

    String bobTokenA = gatewayA.devToken(bob);
    String bobTokenB = gatewayB.devToken(bob);
    try (BridgeClient keptA = BridgeClient.connect(clientVertx, gatewayA.port(), bobTokenA);
         BridgeClient keptB = BridgeClient.connect(clientVertx, gatewayB.port(), bobTokenB);
         BridgeClient carolA = BridgeClient.connect(clientVertx, gatewayA.port(), gatewayA.devToken(carol));
         BridgeClient carolB = BridgeClient.connect(clientVertx, gatewayB.port(), gatewayB.devToken(carol))) {
      for (BridgeClient c : List.of(keptA, keptB, carolA, carolB)) {
        c.register(threadAddress);
      }
      keptA.register(bobAddress);
      keptB.register(bobAddress);
      assertTrue(probe(aliceToken, threadId, List.of(keptA, keptB, carolA, carolB)) != null, "registrations live");

      int leaks = 0;
      int reAddFailures = 0;
      int missingRemoved = 0;
      List<String> leaked = new ArrayList<>();
      List<String> reAddFailed = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        if (round > 0) {
          ChatHttp.expect(201, gatewayA.post(aliceToken, "/api/threads/" + threadId + "/members",
              new JsonObject().put("userId", bob)), "re-add");
          keptA.register(threadAddress);
          keptB.register(threadAddress);
        }
        // Fresh sockets each round, so a leak shows even where re-registering the kept ones fails.
        BridgeClient freshA = BridgeClient.connect(clientVertx, gatewayA.port(), bobTokenA);
        BridgeClient freshB = BridgeClient.connect(clientVertx, gatewayB.port(), bobTokenB);
        List<BridgeClient> bobs = List.of(keptA, keptB, freshA, freshB);
        try {
          for (BridgeClient c : List.of(freshA, freshB)) {
            c.register(threadAddress);
            c.register(bobAddress);
          }
          String probed = probe(aliceToken, threadId, List.of(freshA, freshB, carolA, carolB));
          assertTrue(probed != null, "fresh registrations live in round " + round);
          // A kept socket whose delivery was dropped gets a new bus consumer on re-register, which reaches the
          // other nodes a moment later (as any new registration on a clustered bus): probed like the fresh ones.
          if (round > 0 && probe(aliceToken, threadId, List.of(keptA, keptB)) == null) {
            reAddFailures++;
            reAddFailed.add("round " + round + (keptA.isClosed() || keptB.isClosed() ? " (socket closed)" : "")
                + ", error frames: " + keptA.errors().size() + "/" + keptB.errors().size());
          }
          // A steady stream of joins and registers from every socket, as many as the machine answers at once.
          long flood = clientVertx.setPeriodic(10, id -> {
            BridgeClient b = bobs.get(ThreadLocalRandom.current().nextInt(bobs.size()));
            b.sendRaw(ThreadLocalRandom.current().nextInt(4) == 0 ? register : join);
          });
          try {
            sleep(ThreadLocalRandom.current().nextInt(5, 40));
            int[] before = bobs.stream().mapToInt(BridgeClient::mark).toArray();
            remove(aliceToken, threadId, bob);
            int[] marks = bobs.stream().mapToInt(BridgeClient::mark).toArray();
            String after = "after-" + round;
            ChatHttp.expect(201, gatewayA.send(aliceToken, threadId, after, after), "send after removal");
            for (BridgeClient c : List.of(carolA, carolB)) {
              c.awaitEvent(0, threadAddress, e -> isMessage(e, after), WAIT);
            }
            sleep(150);
            for (int i = 0; i < bobs.size(); i++) {
              for (BridgeClient.Event e : bobs.get(i).eventsSince(marks[i])) {
                if (isMessage(e.body(), after)) {
                  leaks++;
                  leaked.add("round " + round + " socket " + i + " on " + e.address());
                }
              }
              if (bobs.get(i).pollEvent(before[i], bobAddress, e -> "thread:removed".equals(e.getString("type"))
                  && threadId.equals(e.getString("threadId")), Duration.ofSeconds(3)) == null) {
                missingRemoved++;
              }
            }
          } finally {
            clientVertx.cancelTimer(flood);
          }
        } finally {
          freshA.close();
          freshB.close();
        }
      }
      assertEquals(List.of(), leaked, "messages sent after the 204 reached the removed member");
      assertEquals(0, leaks);
      assertEquals(0, reAddFailures, "after a re-add, a register must work (both kept sockets, every round): " + reAddFailed);
      assertEquals(0, missingRemoved, "thread:removed must reach every socket of the removed member");
    }
  }

  @Test
  @DisplayName("Every register of another's thread or of an unknown thread, inside a flood of hostile frames, is answered with an error frame within 5 s")
  void everyRefusedRegisterIsAnswered() {
    String alice = "alice-" + UUID.randomUUID();
    String mallory = "mallory-" + UUID.randomUUID();
    String aliceToken = gatewayA.devToken(alice);
    List<String> foreign = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      foreign.add(gatewayA.createThread(aliceToken, "private " + i));
    }
    try (BridgeClient m = BridgeClient.connect(clientVertx, gatewayA.port(), gatewayA.devToken(mallory))) {
      int registers = 0;
      for (int i = 0; i < 300; i++) {
        switch (i % 10) {
          case 0 -> {
            m.sendRaw(new JsonObject().put("type", "register").put("address", Addresses.thread(foreign.get(i % 3))).encode());
            registers++;
          }
          case 5 -> {
            m.sendRaw(new JsonObject().put("type", "register").put("address", Addresses.thread(UUID.randomUUID().toString())).encode());
            registers++;
          }
          case 1 -> m.sendRaw("{not json");
          case 2 -> m.sendRaw("{\"address\":\"x\"}");
          case 3 -> m.sendRaw("{\"type\":\"frobnicate\",\"address\":\"x\"}");
          case 4 -> m.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.CLIENT_THREAD_JOIN)
              .put("body", new JsonObject().put("threadId", foreign.get(0))).encode());
          case 6 -> m.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.CLIENT_TYPING_START)
              .put("body", new JsonObject().put("threadId", UUID.randomUUID().toString())).encode());
          case 7 -> m.sendRaw("{\"type\":\"register\"}");
          case 8 -> m.sendRaw(new JsonObject().put("type", "unregister").put("address", Addresses.thread(foreign.get(1))).encode());
          default -> m.sendRaw("[]");
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      long rejected = 0;
      while (System.nanoTime() < deadline) {
        rejected = m.errors().stream().filter(e -> "rejected".equals(e.getString("body"))).count();
        if (rejected >= registers) {
          break;
        }
        sleep(50);
      }
      assertEquals(registers, rejected, "one error frame per refused register; errors: " + m.errors().size());
      assertTrue(m.received(Addresses.thread(foreign.get(0))).isEmpty(), "nothing of another's thread");
    }
  }

  /** Sends probe messages until every client has received one on the thread; answers its body (null: never). */
  private static String probe(String token, String threadId, List<BridgeClient> clients) {
    String address = Addresses.thread(threadId);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      String body = "probe " + UUID.randomUUID();
      ChatHttp.expect(201, gatewayA.send(token, threadId, body, UUID.randomUUID().toString()), "probe");
      boolean all = true;
      for (BridgeClient c : clients) {
        all &= c.pollEvent(0, address, e -> isMessage(e, body), Duration.ofMillis(700)) != null;
      }
      if (all) {
        return body;
      }
    }
    return null;
  }

  /** Removes the member; a 503 (a loaded machine) is retried, as removing a non-member is a 204 too. */
  private static void remove(String token, String threadId, String userId) {
    for (int attempt = 0; ; attempt++) {
      var r = gatewayB.delete(token, "/api/threads/" + threadId + "/members/" + userId);
      if (r.statusCode() == 204 || attempt == 3) {
        ChatHttp.expect(204, r, "remove");
        return;
      }
    }
  }

  private static boolean isMessage(JsonObject event, String body) {
    return "message:new".equals(event.getString("type"))
        && event.getJsonObject("message") != null && body.equals(event.getJsonObject("message").getString("body"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
