package chat.system.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.api.v1.ApiV1;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import chat.shared.testing.BridgeClient;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A service of another team, built on the client library alone (its JVM's classpath is chat-client's runtime
 * classpath and the example {@code DeployNotifier}, no gateway or service code), joins a multi-process
 * cluster started by {@code scripts/cluster.sh}, creates a thread, sends as its bot and hears the v1 events;
 * a browser's bridge client on a gateway sees the bot's message with its {@code via}.
 */
class ServiceClientIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration JOIN_WAIT = Duration.ofSeconds(90);

  private static String isolation;
  private static ChatConfig config;
  private static LocalCluster cluster;
  private static Map<String, String> serviceEnv;
  private static List<Integer> hazelcastPorts;
  private static Vertx vertx;
  private static ChatHttp gateway;

  @BeforeAll
  static void startCluster() {
    isolation = TestEnv.isolationName(ServiceClientIT.class);
    serviceEnv = new HashMap<>(TestEnv.env(isolation));
    serviceEnv.remove("PORT");
    serviceEnv.put("REDIS_URL", TestEnv.redisUrl());
    serviceEnv.put("BUS_TIMEOUT_MS", "5000");
    config = ChatConfig.from(serviceEnv);
    int[] ports = IntStream.range(0, 10).map(i -> TestEnv.freePort()).toArray();
    hazelcastPorts = IntStream.of(ports).skip(5).boxed().toList();
    cluster = new LocalCluster(isolation, serviceEnv, ports);
    cluster.start("gateway-1", "messaging", "presence", "unread");
    vertx = Vertx.vertx();
    gateway = new ChatHttp(vertx, cluster.httpPort("gateway-1"));
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
        } finally {
          vertx.close().await();
        }
      }
    }
  }

  @Test
  @DisplayName("A service on the client library alone joins the cluster, creates a thread, sends as its bot and hears the events; the browser sees via")
  void serviceOnTheClientLibrary() throws Exception {
    String bot = "deploy-bot-" + UUID.randomUUID().toString().substring(0, 8);
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    String aliceToken = gateway.devToken(alice);
    try (ServiceProcess service = ServiceProcess.start(bot, alice)) {
      String threadId = service.await(line -> line.startsWith("THREAD "), JOIN_WAIT).substring("THREAD ".length());
      JsonObject botAdded = service.event(ApiV1.EVENT_MEMBER_ADDED, e -> bot.equals(e.getString("userId")), WAIT);
      assertEquals(new JsonObject().put("threadId", threadId).put("userId", bot).put("role", "admin"), botAdded);
      service.event(ApiV1.EVENT_MEMBER_ADDED, e -> alice.equals(e.getString("userId")), WAIT);

      try (BridgeClient browser = BridgeClient.connect(vertx, gateway.port(), aliceToken)) {
        String address = Addresses.thread(threadId);
        browser.register(address);
        BridgeClient.awaitVisible(browser, browser, threadId, alice, WAIT);
        int mark = browser.mark();
        service.tell("42");
        JsonObject sent = new JsonObject(service.await(line -> line.startsWith("SENT "), WAIT).substring("SENT ".length()));
        assertEquals(bot, sent.getString("authorId"));
        assertEquals("deploy-notifier", sent.getString("via"));
        assertEquals("Build 42 is live", sent.getString("body"));

        JsonObject delivered = browser.awaitEvent(mark, address, e -> "message:new".equals(e.getString("type")), WAIT)
            .body().getJsonObject("message");
        assertEquals(sent, delivered, "the browser gets the bot's message, via included");
        JsonObject heard = service.event(ApiV1.EVENT_MESSAGE_SENT, e -> threadId.equals(e.getString("threadId")), WAIT);
        assertEquals(sent, heard.getJsonObject("message"), "the service hears its own message with its via");

        assertTrue(gateway.send(aliceToken, threadId, "thanks!", "c-1").statusCode() == 201);
        JsonObject reply = service.event(ApiV1.EVENT_MESSAGE_SENT, e -> alice.equals(e.getJsonObject("message").getString("authorId")),
            WAIT).getJsonObject("message");
        assertNull(reply.getValue("via"), "a person's own send through the gateway has no via");
        assertTrue(reply.containsKey("via"));

        List<JsonObject> history = gateway.history(aliceToken, threadId);
        assertEquals(List.of("deploy-notifier", "-"),
            history.stream().map(m -> m.getString("via") == null ? "-" : m.getString("via")).toList());
      }
    }
  }

  /** The example service's JVM: its stdout lines, its stdin for commands. */
  private static final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Path log;

    private ServiceProcess(Process process, Path log) {
      this.process = process;
      this.log = log;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "service-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static ServiceProcess start(String bot, String person) throws IOException {
      Path classpathFile = Repo.path("client/target/runtime-classpath.txt");
      assertTrue(Files.exists(classpathFile), "chat-client's runtime classpath is written at its package phase: " + classpathFile);
      List<String> classpath = new ArrayList<>(List.of(Files.readString(classpathFile).trim().split(File.pathSeparator)));
      for (String entry : classpath) {
        assertFalse(entry.matches(".*(gateway|messaging-service|presence-service|unread-service|standalone).*"),
            "the service's classpath holds no chat process: " + entry);
      }
      classpath.add(Repo.path("client/target/classes").toString());
      classpath.add(Repo.path("client/target/test-classes").toString());
      String java = ProcessHandle.current().info().command().orElse("java");
      Path log = Repo.path("system-tests/target/cluster-" + isolation + "/deploy-notifier.log");
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", String.join(File.pathSeparator, classpath), "chat.client.example.DeployNotifier")
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = pb.environment();
      env.putAll(serviceEnv);
      env.put("CLUSTER_ENABLED", "true");
      env.put("CLUSTER_NAME", isolation);
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_PORT", String.valueOf(TestEnv.freePort()));
      env.put("CLUSTER_MEMBERS", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
      env.putAll(TestCerts.in(cluster.certs()).env("deploy-notifier"));
      env.put("BOT_USER", bot);
      env.put("NOTIFY_USER", person);
      return new ServiceProcess(pb.start(), log);
    }

    /** The next stdout line that matches (skipping others), failing after {@code wait}. */
    String await(Predicate<String> match, Duration wait) throws InterruptedException, IOException {
      synchronized (seen) {
        for (String line : seen) {
          if (match.test(line)) {
            seen.remove(line);
            return line;
          }
        }
      }
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        if (line == null) {
          break;
        }
        if (match.test(line)) {
          return line;
        }
        synchronized (seen) {
          seen.add(line);
        }
      }
      throw new AssertionError("the service printed nothing matching within " + wait + "; printed " + seen
          + (process.isAlive() ? "" : ", exited " + process.exitValue()) + "\n--- its log ---\n" + tail());
    }

    /** The body of the next v1 event on {@code address} that matches. */
    JsonObject event(String address, Predicate<JsonObject> match, Duration wait) throws InterruptedException, IOException {
      String prefix = "EVENT " + address + " ";
      String line = await(l -> l.startsWith(prefix) && match.test(new JsonObject(l.substring(prefix.length()))), wait);
      JsonObject body = new JsonObject(line.substring(prefix.length()));
      assertNotNull(body);
      return body;
    }

    void tell(String line) throws IOException {
      stdin.write(line + "\n");
      stdin.flush();
    }

    private String tail() throws IOException {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    @Override
    public void close() throws Exception {
      try {
        stdin.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the service did not leave when its stdin closed");
        }
        assertEquals(0, process.exitValue(), "the service leaves the cluster cleanly\n" + tail());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
