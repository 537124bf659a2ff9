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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Postgres frozen (SIGSTOP of the postmaster and every backend) for 10 s under a send load, then resumed:
 * a 503 means nothing was written, and a 504 {@code send_outcome_unknown} is resolved by a retry with the
 * same {@code clientMessageId}. Runs its own Postgres (embedded binaries) so freezing it touches nothing else.
 */
class StoreFreezeIT {
  private static final int SENDERS = 4;

  private static Path dataDir;
  private static EmbeddedPostgres postgres;
  private static Vertx vertx;
  private static WebClient http;

  @BeforeAll
  static void startSystem() throws Exception {
    dataDir = Files.createTempDirectory("chat-store-freeze");
    int pgPort = TestEnv.freePort();
    postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true).setPort(pgPort).start();
    Map<String, String> env = new HashMap<>(TestEnv.env("public"));
    env.put("DATABASE_URL", "postgres://postgres@127.0.0.1:" + pgPort + "/postgres");
    env.put("CHAT_RATE_LIMITS", "off");
    env.put("BUS_TIMEOUT_MS", "3000");
    ChatConfig config = ChatConfig.from(env);
    vertx = VertxFactory.local();
    Deployment.inOrder(vertx, StandaloneMain.deployments(config)).await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(config.port())
        .setIdleTimeout(30).setConnectTimeout(2000));
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

  @Test
  @DisplayName("With Postgres frozen for 10 s under load, every send answered 503 is absent from history and every 504 send_outcome_unknown is resolved by a retry with its clientMessageId")
  void a503MeansNothingWasWritten() throws Exception {
    String alice = token("alice-" + UUID.randomUUID().toString().substring(0, 6));
    JsonObject thread = json(http.post("/api/threads").bearerTokenAuthentication(alice)
        .sendJsonObject(new JsonObject().put("title", "freeze").put("memberIds", new JsonArray())), 201);
    String threadId = thread.getString("id");

    Map<String, Integer> outcomes = new ConcurrentHashMap<>(); // clientMessageId -> status
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          String cid = UUID.randomUUID().toString();
          try {
            HttpResponse<Buffer> r = send(alice, threadId, cid).await();
            String error = r.statusCode() >= 400 ? r.bodyAsJsonObject().getString("error") : null;
            boolean expected = r.statusCode() == 201
                || (r.statusCode() == 503 && "unavailable".equals(error))
                || (r.statusCode() == 504 && "send_outcome_unknown".equals(error));
            outcomes.put(cid, expected ? r.statusCode() : -r.statusCode());
          } catch (Exception e) {
            outcomes.put(cid, -1);
          }
        }
      });
      t.start();
      senders.add(t);
    }

    sleep(1500);
    List<Long> frozen = postgresProcesses();
    signal("STOP", frozen);
    try {
      sleep(10_000);
    } finally {
      signal("CONT", frozen);
    }
    sleep(6000);
    running.set(false);
    for (Thread t : senders) {
      t.join(20_000);
    }

    Map<Integer, Long> counts = outcomes.values().stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    assertTrue(counts.keySet().stream().allMatch(v -> v > 0), "only 201, 503 unavailable or 504 send_outcome_unknown: " + counts);
    assertTrue(counts.getOrDefault(503, 0L) + counts.getOrDefault(504, 0L) > 0, "the freeze must have been noticed: " + counts);

    Set<String> stored = fullHistory(alice, threadId).stream()
        .map(m -> m.getString("clientMessageId")).collect(Collectors.toSet());
    List<String> written503 = outcomes.entrySet().stream()
        .filter(e -> e.getValue() == 503 && stored.contains(e.getKey())).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), written503, "a send answered 503 was written (of " + counts + ")");
    for (var e : outcomes.entrySet()) {
      if (e.getValue() == 504) {
        HttpResponse<Buffer> retry = send(alice, threadId, e.getKey()).await();
        assertTrue(retry.statusCode() == 200 || retry.statusCode() == 201, "a retry resolves a 504: " + retry.bodyAsString());
        assertEquals(retry.statusCode() == 200, stored.contains(e.getKey()), "200 exactly when it had been stored");
      }
    }
  }

  /** The postmaster (from the data directory's postmaster.pid) and every process under it. */
  private static List<Long> postgresProcesses() throws Exception {
    long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    List<Long> pids = new ArrayList<>(List.of(postmaster));
    ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static void signal(String signal, List<Long> pids) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> cmd.add(String.valueOf(p)));
    new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  private static Future<HttpResponse<Buffer>> send(String token, String threadId, String cid) {
    return http.post("/api/threads/" + threadId + "/messages").bearerTokenAuthentication(token).timeout(20_000)
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
