package chat.shared.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatProcessTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  @DisplayName("Resources open before the config is read, deployments start in order, OPS_PORT serves health, and stop closes Vert.x before the resources, newest first")
  void lifecycle() throws Exception {
    int opsPort = TestEnv.freePort();
    ChatProcess process = ChatProcess.named("test", Map.of("CLUSTER_ENABLED", "false", "OPS_PORT", String.valueOf(opsPort)))
        .before(env -> {
          env.put("PORT", "12345");
          return () -> events.add("close first resource");
        })
        .before(env -> () -> events.add("close second resource"))
        .deploying(config -> List.of(
            Deployment.single(new Recording("slow", 200)),
            new Deployment(() -> new Recording("pair", 0), 2)));

    ChatConfig config = process.start().await(10, TimeUnit.SECONDS);

    assertEquals(12345, config.port(), "a resource's settings reach the config");
    assertFalse(process.vertx().isClustered());
    assertEquals(List.of("start slow", "start pair", "start pair"), events, "the second deployment waits for the first");
    HttpResponse<String> live = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health/live")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode());

    events.clear();
    process.stop();
    assertEquals(List.of("stop", "stop", "stop", "close second resource", "close first resource"), events);
  }

  @Test
  @DisplayName("A deployment that fails to start fails the start, and stop still closes what was opened")
  void failedStart() {
    ChatProcess process = ChatProcess.named("test", Map.of("CLUSTER_ENABLED", "false"))
        .before(env -> () -> events.add("close resource"))
        .deploying(config -> List.of(Deployment.single(new VerticleBase() {
          @Override
          public Future<?> start() {
            return Future.failedFuture("no store");
          }
        })));

    Exception failure = assertThrows(Exception.class, () -> process.start().await(10, TimeUnit.SECONDS));
    assertTrue(failure.getMessage().contains("no store"), failure.getMessage());
    process.stop();
    assertEquals(List.of("close resource"), events);
    assertThrows(IllegalStateException.class, process::start, "a process starts once");
  }

  /** Records its start (after {@code delayMs}) and stop in {@link #events}. */
  private final class Recording extends VerticleBase {
    private final String name;
    private final long delayMs;

    Recording(String name, long delayMs) {
      this.name = name;
      this.delayMs = delayMs;
    }

    @Override
    public Future<?> start() {
      Promise<Void> started = Promise.promise();
      vertx.setTimer(Math.max(1, delayMs), id -> {
        events.add("start " + name);
        started.complete();
      });
      return started.future();
    }

    @Override
    public Future<?> stop() {
      events.add("stop");
      return Future.succeededFuture();
    }
  }
}
