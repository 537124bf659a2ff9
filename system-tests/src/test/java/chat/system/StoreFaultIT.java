package chat.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestEnv;
import chat.standalone.StandaloneMain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Postgres dies under a steady send load and comes back: sends fail fast with 503, readiness goes red,
 * everything recovers without a restart, and no acknowledged message is lost or duplicated. Runs its
 * own Postgres (embedded binaries) so stopping it touches nothing else on the machine.
 */
class StoreFaultIT {
  private static final int SENDERS = 4;

  private static Path dataDir;
  private static int pgPort;
  private static EmbeddedPostgres postgres;
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void startSystem() throws Exception {
    dataDir = Files.createTempDirectory("chat-store-fault");
    pgPort = TestEnv.freePort();
    postgres = startPostgres();
    Map<String, String> env = new HashMap<>(TestEnv.env("public"));
    env.put("DATABASE_URL", "postgres://postgres@127.0.0.1:" + pgPort + "/postgres");
    env.put("CHAT_RATE_LIMITS", "off");
    env.put("BUS_TIMEOUT_MS", "3000");
    ChatConfig config = ChatConfig.from(env);
    port = config.port();
    vertx = VertxFactory.local();
    Deployment.inOrder(vertx, StandaloneMain.deployments(config)).await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setIdleTimeout(20).setConnectTimeout(2000));
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static EmbeddedPostgres startPostgres() throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(pgPort).start();
  }

  @Test
  @DisplayName("When Postgres stops under load, sends fail fast with 503, readiness goes red, and after it returns every acknowledged message is in history exactly once with gap-free seqs and exact unread counts")
  void postgresOutageLosesNothing() throws Exception {
    String alice = token("alice-" + UUID.randomUUID().toString().substring(0, 6));
    String bobId = "bob-" + UUID.randomUUID().toString().substring(0, 6);
    String bob = token(bobId);
    JsonObject thread = json(http.post("/api/threads").bearerTokenAuthentication(alice)
        .sendJsonObject(new JsonObject().put("title", "fault").put("memberIds", new JsonArray().add(bobId))), 201);
    String threadId = thread.getString("id");

    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // clientMessageId -> message id
    Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
    List<Integer> unexpected = new ArrayList<>();
    AtomicInteger unavailable = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger slowest = new AtomicInteger();

    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          String cid = UUID.randomUUID().toString();
          long start = System.nanoTime();
          try {
            HttpResponse<Buffer> r = send(alice, threadId, cid).await();
            slowest.accumulateAndGet((int) ((System.nanoTime() - start) / 1_000_000), Math::max);
            if (r.statusCode() == 201) {
              acknowledged.put(cid, r.bodyAsJsonObject().getJsonObject("message").getString("id"));
            } else if ((r.statusCode() == 503 && "unavailable".equals(r.bodyAsJsonObject().getString("error")))
                || (r.statusCode() == 504 && "send_outcome_unknown".equals(r.bodyAsJsonObject().getString("error")))) {
              // 504: the connection died mid-statement; the retry below with the same clientMessageId settles it.
              unavailable.incrementAndGet();
              unacknowledged.add(cid);
              sleep(50);
            } else {
              synchronized (unexpected) {
                unexpected.add(r.statusCode());
              }
            }
          } catch (Exception e) {
            unacknowledged.add(cid);
            synchronized (unexpected) {
              unexpected.add(-1);
            }
          }
        }
      });
      t.start();
      senders.add(t);
    }

    sleep(1500);
    postgres.close();
    postgres = null;
    sleep(1500);
    HttpResponse<Buffer> ready = http.get("/health/ready").send().await();
    assertEquals(503, ready.statusCode(), "readiness must go red while Postgres is down: " + ready.bodyAsString());
    sleep(3000);
    postgres = startPostgres();
    long deadline = System.currentTimeMillis() + 30_000;
    int ackBefore = acknowledged.size();
    while (acknowledged.size() < ackBefore + 20 && System.currentTimeMillis() < deadline) {
      sleep(200);
    }
    sleep(1000);
    running.set(false);
    for (Thread t : senders) {
      t.join(20_000);
    }

    assertTrue(unexpected.isEmpty(), "only 201, 503 unavailable or 504 send_outcome_unknown are acceptable, got " + unexpected);
    assertTrue(unavailable.get() > 0, "the outage must have been noticed as 503 unavailable");
    assertTrue(slowest.get() < 6000, "no send may hang: slowest took " + slowest.get() + " ms");
    assertTrue(acknowledged.size() > ackBefore, "sends must succeed again after Postgres returns, without a restart");
    assertEquals(200, http.get("/health/ready").send().await().statusCode(), "readiness must recover");

    // Retrying the failed sends with the same clientMessageId stores each at most once.
    for (String cid : unacknowledged) {
      HttpResponse<Buffer> r = send(alice, threadId, cid).await();
      assertTrue(r.statusCode() == 201 || r.statusCode() == 200, "retry after recovery: " + r.bodyAsString());
      acknowledged.put(cid, r.bodyAsJsonObject().getJsonObject("message").getString("id"));
    }

    List<JsonObject> history = fullHistory(bob, threadId);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      JsonObject m = history.get(i);
      assertEquals(i + 1, m.getLong("seq").intValue(), "seq must be gap-free");
      assertTrue(ids.add(m.getString("id")), "a message appears twice");
    }
    assertEquals(acknowledged.size(), history.size(), "history holds exactly the acknowledged messages");
    assertTrue(ids.containsAll(acknowledged.values()), "an acknowledged message is missing from history");

    JsonObject badge = json(http.get("/api/threads/unread").bearerTokenAuthentication(bob).send(), 200);
    assertEquals(history.size(), badge.getLong("total").intValue(), "bob's unread equals a recount");
  }

  private static Future<HttpResponse<Buffer>> send(String token, String threadId, String cid) {
    return http.post("/api/threads/" + threadId + "/messages").bearerTokenAuthentication(token).timeout(10_000)
        .sendJsonObject(new JsonObject().put("body", "m " + cid).put("clientMessageId", cid));
  }

  private static List<JsonObject> fullHistory(String token, String threadId) {
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject page = json(http.get("/api/threads/" + threadId + "/messages?limit=200&afterSeq=" + after)
          .bearerTokenAuthentication(token).send(), 200);
      JsonArray ms = page.getJsonArray("messages");
      ms.forEach(o -> all.add((JsonObject) o));
      if (!ms.isEmpty()) {
        after = ms.getJsonObject(ms.size() - 1).getLong("seq");
      }
      if (!page.getBoolean("hasMore") || ms.isEmpty()) {
        return all;
      }
    }
  }

  private static String token(String userId) {
    return json(http.post("/api/dev/token").sendJsonObject(new JsonObject().put("userId", userId).put("name", userId)), 200)
        .getString("token");
  }

  private static JsonObject json(Future<HttpResponse<Buffer>> f, int status) {
    HttpResponse<Buffer> r = f.await();
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
