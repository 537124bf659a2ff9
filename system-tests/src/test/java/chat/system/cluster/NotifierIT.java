package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ChatClient;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.model.Message;
import chat.shared.protocol.Presence;
import chat.shared.protocol.Unread;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import chat.unread.UnreadVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The notifier (issue 15) as it runs: its fat jar in JVMs of its own, joined over mutual TLS to a node running
 * messaging-, presence- and unread-service, its schema on the machine's Postgres, and a real HTTP receiver here
 * standing in for the webhook. Every test uses fresh users and threads; the processes and the receiver's log
 * are shared, in this order: one notifier, then it is killed and restarted, then a second replica joins.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotifierIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration JOIN_WAIT = Duration.ofSeconds(120);
  private static final int DELAY_SECONDS = 2;
  private static final String SECRET = "webhook-secret-" + UUID.randomUUID();

  private static String isolation;
  private static Map<String, String> baseEnv;
  private static List<Integer> hazelcastPorts;
  private static TestCerts certs;
  private static ChatConfig servicesConfig;
  private static Vertx services;
  private static ChatClient chat;
  private static Bus bus;
  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Per user, how many webhook calls about them still get a 500. */
  private static final Map<String, AtomicInteger> failFor = new ConcurrentHashMap<>();
  private static volatile long answerAfterMs;
  private static final List<NotifierProcess> notifiers = new ArrayList<>();

  /** One webhook request as received, with the status this receiver answered. */
  record Call(String deliveryIdHeader, String signature, String rawBody, JsonObject body, int status, long atMs) {
    String userId() {
      return body.getString("userId");
    }

    String threadId() {
      return body.getString("threadId");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    isolation = TestEnv.isolationName(NotifierIT.class);
    hazelcastPorts = List.of(TestEnv.freePort(), TestEnv.freePort(), TestEnv.freePort());
    certs = TestCerts.newCa();
    baseEnv = new HashMap<>(TestEnv.env(isolation));
    baseEnv.remove("PORT");
    baseEnv.put("CLUSTER_NAME", isolation);
    baseEnv.put("CLUSTER_HOST", "127.0.0.1");
    baseEnv.put("CLUSTER_MEMBERS", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    baseEnv.put("BUS_TIMEOUT_MS", "5000");
    baseEnv.put("VERTICLE_INSTANCES", "1");

    Map<String, String> env = certs.with(baseEnv, "services");
    env.put("CLUSTER_PORT", String.valueOf(hazelcastPorts.get(0)));
    env.put("PORT", String.valueOf(TestEnv.freePort()));
    servicesConfig = ChatConfig.from(env);
    services = VertxFactory.clustered(servicesConfig.cluster()).await();
    services.deployVerticle(new MessagingVerticle(servicesConfig)).await();
    services.deployVerticle(new PresenceVerticle(servicesConfig)).await();
    services.deployVerticle(new UnreadVerticle(servicesConfig)).await();
    chat = ChatClient.on(services, "notifier-test", 5000);
    bus = new Bus(services, 5000);

    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
      String raw = buf.toString(StandardCharsets.UTF_8);
      JsonObject body = new JsonObject(raw);
      AtomicInteger failures = failFor.get(body.getString("userId"));
      int status = failures != null && failures.getAndDecrement() > 0 ? 500 : 204;
      calls.add(new Call(req.getHeader("X-Chat-Delivery-Id"), req.getHeader("X-Chat-Signature"), raw, body, status,
          System.currentTimeMillis()));
      receiverVertx.setTimer(Math.max(1, answerAfterMs), t -> req.response().setStatusCode(status).end());
    })).listen(0, "127.0.0.1").await();

    notifiers.add(NotifierProcess.start("notifier-1", hazelcastPorts.get(1)));
    notifiers.get(0).awaitReady();
  }

  @AfterAll
  static void stop() {
    for (NotifierProcess n : notifiers) {
      n.kill();
    }
    try {
      if (receiverVertx != null) {
        receiverVertx.close().await();
      }
      if (services != null) {
        services.close().await();
      }
    } finally {
      Vertx cleanup = Vertx.vertx();
      try {
        TestEnv.dropSchema(cleanup, servicesConfig);
        Map<String, String> own = new HashMap<>(baseEnv);
        own.put("PG_SCHEMA", isolation + "_notifier");
        TestEnv.dropSchema(cleanup, ChatConfig.from(own));
      } finally {
        cleanup.close().await();
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("An offline member gets one signed call per thread and window; a reader, a present member and the author get none")
  void offlineMemberGetsOneCallPerThreadAndWindow() throws Exception {
    String amy = user("amy");
    String bob = user("bob");
    String cat = user("cat");
    String dan = user("dan");
    String t1 = chat.createThread(amy, "Release plan", List.of(bob, cat, dan)).await().id();
    String t2 = chat.createThread(amy, "Lunch", List.of(bob)).await().id();
    awaitFollowed(t1, t2);
    bus.request(Presence.JOIN, new Presence.Join(dan, t1, "conn-" + dan, "gw-test")).await();

    String longBody = "x".repeat(139) + "\uD83D\uDE00" + "tail";
    Message first = send(amy, t1, "first");
    send(amy, t1, "second");
    Message third = send(amy, t1, longBody);
    send(amy, t2, "soup?");
    bus.request(Unread.MARK_READ, new Unread.MarkRead(cat, t1, null)).await();

    Call toBobT1 = awaitCall(c -> c.userId().equals(bob) && c.threadId().equals(t1));
    Call toBobT2 = awaitCall(c -> c.userId().equals(bob) && c.threadId().equals(t2));
    assertSigned(toBobT1);
    assertSigned(toBobT2);
    assertTrue(toBobT1.atMs() - first.createdAt().toEpochMilli() >= DELAY_SECONDS * 1000L - 200, "not before the delay");
    JsonObject body = toBobT1.body();
    assertEquals(Set.of("deliveryId", "userId", "threadId", "threadTitle", "messages", "count"), body.fieldNames());
    assertEquals("Release plan", body.getString("threadTitle"));
    assertEquals(3, body.getInteger("count"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(3, messages.size());
    assertEquals(new JsonObject().put("id", first.id()).put("authorId", amy).put("preview", "first"), messages.getJsonObject(0));
    assertEquals(third.id(), messages.getJsonObject(2).getString("id"));
    assertEquals("x".repeat(139), messages.getJsonObject(2).getString("preview"), "140 chars, a surrogate pair is not cut");
    assertEquals(1, toBobT2.body().getInteger("count"));

    // a message after the first window was delivered opens a second window
    Message later = send(amy, t1, "one more thing");
    bus.request(Unread.MARK_READ, new Unread.MarkRead(cat, t1, null)).await();
    Call second = awaitCall(c -> c.userId().equals(bob) && c.threadId().equals(t1) && c != toBobT1);
    assertSigned(second);
    assertEquals(1, second.body().getInteger("count"));
    assertEquals(later.id(), second.body().getJsonArray("messages").getJsonObject(0).getString("id"));
    assertFalse(second.deliveryIdHeader().equals(toBobT1.deliveryIdHeader()));

    Thread.sleep((DELAY_SECONDS + 2) * 1000L);
    assertEquals(2, callsAbout(bob, t1).size(), "one call per window: " + callsAbout(bob, t1));
    assertEquals(1, callsAbout(bob, t2).size());
    assertEquals(List.of(), callsAbout(cat, t1), "cat read it before the delay");
    assertEquals(List.of(), callsAbout(dan, t1), "dan is present in the thread");
    assertEquals(List.of(), callsAbout(amy, t1), "never the author");
    assertEquals(List.of(), callsAbout(amy, t2), "never the author");
  }

  @Test
  @Order(2)
  @DisplayName("A webhook failing for a while is retried with the same deliveryId until it accepts, then never again")
  void failingWebhookIsRetried() throws Exception {
    String eve = user("eve");
    String fay = user("fay");
    String t = chat.createThread(eve, "Retries", List.of(fay)).await().id();
    awaitFollowed(t);
    failFor.put(fay, new AtomicInteger(2));
    send(eve, t, "are you there?");
    Call accepted = awaitCall(c -> c.userId().equals(fay) && c.status() == 204);
    List<Call> all = callsAbout(fay, t);
    assertEquals(List.of(500, 500, 204), all.stream().map(Call::status).toList());
    assertEquals(1, all.stream().map(Call::deliveryIdHeader).distinct().count(), "every attempt is the same delivery");
    assertTrue(all.get(2).atMs() - all.get(1).atMs() >= all.get(1).atMs() - all.get(0).atMs() - 300, "the backoff grows");
    all.forEach(NotifierIT::assertSigned);
    Thread.sleep(3000);
    assertEquals(3, callsAbout(fay, t).size(), "nothing after the accepted one: " + accepted);
  }

  @Test
  @Order(3)
  @DisplayName("The notifier killed with notifications pending and messages sent while it is down delivers each once after a restart")
  void killedAndRestartedDeliversEverythingOnce() throws Exception {
    String gus = user("gus");
    String hal = user("hal");
    String pending = chat.createThread(gus, "Pending", List.of(hal)).await().id();
    String missed = chat.createThread(gus, "Missed", List.of(hal)).await().id();
    awaitFollowed(pending, missed);
    send(gus, pending, "due soon");
    awaitWindow(hal, pending);
    NotifierProcess first = notifiers.get(0);
    first.kill();
    send(gus, missed, "sent while the notifier is down");
    Thread.sleep(DELAY_SECONDS * 1000L);
    assertEquals(List.of(), callsAbout(hal, pending), "the killed notifier delivered nothing");

    NotifierProcess restarted = NotifierProcess.start("notifier-1b", TestEnv.freePort());
    notifiers.set(0, restarted);
    restarted.awaitReady();
    awaitCall(c -> c.userId().equals(hal) && c.threadId().equals(pending));
    awaitCall(c -> c.userId().equals(hal) && c.threadId().equals(missed));
    Thread.sleep((DELAY_SECONDS + 1) * 1000L);
    assertEquals(1, callsAbout(hal, pending).size());
    assertEquals(1, callsAbout(hal, missed).size());
    assertNoDeliveryTwice();
  }

  @Test
  @Order(4)
  @DisplayName("Two replicas never both deliver one notification")
  void twoReplicasNeverBothDeliver() throws Exception {
    NotifierProcess second = NotifierProcess.start("notifier-2", hazelcastPorts.get(2));
    notifiers.add(second);
    second.awaitReady();
    answerAfterMs = 300; // slow receiver: the replicas' claims overlap in time
    try {
      String ivy = user("ivy");
      List<String> readers = List.of(user("jon"), user("kay"));
      List<String> threads = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        threads.add(chat.createThread(ivy, "Replica " + i, readers).await().id());
      }
      awaitFollowed(threads.toArray(String[]::new));
      for (String t : threads) {
        send(ivy, t, "hello");
        send(ivy, t, "again");
      }
      for (String t : threads) {
        for (String r : readers) {
          awaitCall(c -> c.userId().equals(r) && c.threadId().equals(t));
        }
      }
      Thread.sleep((DELAY_SECONDS + 2) * 1000L);
      for (String t : threads) {
        for (String r : readers) {
          assertEquals(1, callsAbout(r, t).size(), "one call for " + r + " in " + t);
          assertEquals(2, callsAbout(r, t).get(0).body().getInteger("count"));
        }
      }
      assertNoDeliveryTwice();
      assertTrue(second.log().contains("notifier started"), second.log());
    } finally {
      answerAfterMs = 0;
    }
  }

  // ---- helpers ----

  private static String user(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Message send(String author, String threadId, String body) {
    return chat.send(author, threadId, body, null).await().message();
  }

  private static List<Call> callsAbout(String userId, String threadId) {
    return calls.stream().filter(c -> c.userId().equals(userId) && c.threadId().equals(threadId)).toList();
  }

  private static Call awaitCall(Predicate<Call> match) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Call c : calls) {
        if (match.test(c)) {
          return c;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching webhook call within " + WAIT + "; received " + calls.stream().map(Call::rawBody).toList()
        + notifiers.stream().map(n -> "\n--- " + n.name + " ---\n" + tail(n.log())).collect(Collectors.joining()));
  }

  /** A thread's creation reaches the notifier as member events; messages sent before that might start it later. */
  private static void awaitFollowed(String... threadIds) throws InterruptedException {
    awaitRows("SELECT count(*) FROM thread_cursors WHERE thread_id::text = ANY($1::text[])", threadIds.length,
        (Object) threadIds);
  }

  /** The notifier has opened {@code userId}'s window on the thread (the message reached its schema). */
  private static void awaitWindow(String userId, String threadId) throws InterruptedException {
    awaitRows("SELECT count(*) FROM notifications WHERE user_id = $1 AND thread_id = $2::uuid", 1, userId, threadId);
  }

  private static void awaitRows(String sql, long expected, Object... args) throws InterruptedException {
    Map<String, String> own = new HashMap<>(baseEnv);
    own.put("PG_SCHEMA", isolation + "_notifier");
    io.vertx.sqlclient.Pool pool = TestEnv.pool(receiverVertx, ChatConfig.from(own));
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      long seen = -1;
      while (System.nanoTime() < deadline) {
        seen = pool.preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.from(args)).await().iterator().next().getLong(0);
        if (seen >= expected) {
          return;
        }
        Thread.sleep(50);
      }
      throw new AssertionError(sql + ": " + seen + " rows, expected " + expected);
    } finally {
      pool.close().await();
    }
  }

  /** No delivery the receiver accepted was accepted twice, and each was about one member and thread only. */
  private static void assertNoDeliveryTwice() {
    List<String> accepted = calls.stream().filter(c -> c.status() == 204).map(Call::deliveryIdHeader).toList();
    assertEquals(accepted.size(), new HashSet<>(accepted).size(), "duplicate deliveryIds: " + accepted);
    for (Call c : calls) {
      assertEquals(c.deliveryIdHeader(), c.body().getString("deliveryId"));
    }
  }

  /** Checked here with its own HMAC, not the notifier's code. */
  private static void assertSigned(Call call) {
    String[] parts = call.signature().split(",");
    assertEquals(2, parts.length, call.signature());
    assertTrue(parts[0].startsWith("t=") && parts[1].startsWith("v1="), call.signature());
    long t = Long.parseLong(parts[0].substring(2));
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - t) < 60, "a fresh timestamp");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + call.rawBody()).getBytes(StandardCharsets.UTF_8)));
      assertEquals(expected, parts[1].substring(3), "v1 is the HMAC of t.body");
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    assertEquals(call.body().getString("deliveryId"), call.deliveryIdHeader());
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  /** One notifier JVM from its fat jar, its log in system-tests/target/. */
  @Test
  @Order(5)
  @DisplayName("A muted thread notifies a member only for the messages that mention them by id")
  void mutedThreadNotifiesOnlyMentions() throws Exception {
    String eve = user("eve");
    String fay = user("fay");
    String gil = user("gil");
    String t = chat.createThread(eve, "Muted", List.of(fay, gil)).await().id();
    awaitFollowed(t);
    assertTrue(chat.mute(fay, t, true).await());
    assertTrue(chat.mute(gil, t, true).await());
    send(eve, t, "nothing for anyone");
    Message named = send(eve, t, "@" + gil + " please look");
    Call toGil = awaitCall(c -> c.userId().equals(gil) && c.threadId().equals(t));
    assertSigned(toGil);
    JsonArray listed = toGil.body().getJsonArray("messages");
    assertEquals(1, listed.size(), "only the mention: " + toGil.body());
    assertEquals(named.id(), listed.getJsonObject(0).getString("id"));
    Thread.sleep((DELAY_SECONDS + 2) * 1000L);
    assertEquals(List.of(), callsAbout(fay, t), "fay muted the thread and nobody mentioned her");
    assertEquals(1, callsAbout(gil, t).size());
  }

  private static final class NotifierProcess {
    private final String name;
    private final Process process;
    private final Path log;
    private final int opsPort;

    private NotifierProcess(String name, Process process, Path log, int opsPort) {
      this.name = name;
      this.process = process;
      this.log = log;
      this.opsPort = opsPort;
    }

    static NotifierProcess start(String name, int hazelcastPort) throws IOException {
      Path jar = Repo.path("notifier/target/notifier-all.jar");
      assertTrue(Files.exists(jar), "the notifier's fat jar is built at its package phase: " + jar);
      Path log = Repo.path("system-tests/target/notifier-" + isolation + "/" + name + ".log");
      Files.createDirectories(log.getParent());
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-jar", jar.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = pb.environment();
      env.clear();
      env.putAll(certs.with(baseEnv, "notifier"));
      int opsPort = TestEnv.freePort();
      env.put("CLUSTER_PORT", String.valueOf(hazelcastPort));
      env.put("OPS_PORT", String.valueOf(opsPort));
      env.put("NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/chat");
      env.put("NOTIFY_WEBHOOK_SECRET", SECRET);
      env.put("NOTIFY_DELAY_SECONDS", String.valueOf(DELAY_SECONDS));
      env.put("NOTIFY_RETRY_MAX_SECONDS", "4");
      return new NotifierProcess(name, pb.start(), log, opsPort);
    }

    void awaitReady() throws InterruptedException {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + JOIN_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        assertTrue(process.isAlive(), name + " exited\n" + tail(log()));
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health/ready"))
              .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
      throw new AssertionError(name + " not ready within " + JOIN_WAIT + "\n" + tail(log()));
    }

    /** SIGKILL, as a crash would; waits until it is gone. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String log() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        return e.toString();
      }
    }
  }
}
