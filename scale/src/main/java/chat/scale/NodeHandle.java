package chat.scale;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A node JVM started by the coordinator, and its command line (see {@link ScaleNode}). */
final class NodeHandle {
  final int index;
  final long spawnedAt = System.nanoTime();
  private final Process process;
  private final PrintStream in;
  private final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
  private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile long readyAt;

  private NodeHandle(int index, Process process) {
    this.index = index;
    this.process = process;
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "node-" + index);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts node {@code index} with the JVM options and cluster environment given; its log goes to logDir. */
  static NodeHandle start(int index, List<String> jvmOptions, Map<String, String> env, Path logDir) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleMain.class.getName(), "node"));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectError(logDir.resolve("node-" + index + ".log").toFile());
    pb.environment().putAll(env);
    return new NodeHandle(index, pb.start());
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith(ScaleNode.REPLY)) {
          continue;
        }
        JsonObject json = new JsonObject(line.substring(ScaleNode.REPLY.length()));
        if (json.containsKey("ready")) {
          readyAt = System.nanoTime();
          ready.complete(json);
        } else {
          CompletableFuture<JsonObject> f = pending.remove(json.getString("id"));
          if (f != null) {
            f.complete(json);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the node died; the exit below fails what waits on it
    }
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      code = -1;
    }
    IllegalStateException dead = new IllegalStateException("node " + index + " exited with status " + code);
    ready.completeExceptionally(dead);
    pending.values().forEach(f -> f.completeExceptionally(dead));
  }

  /** The node's ready line, once its Vert.x has joined the cluster. */
  JsonObject awaitReady(long timeoutSeconds) throws Exception {
    return ready.get(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** Milliseconds from spawning the JVM to its ready line. */
  long readyMs() {
    return (readyAt - spawnedAt) / 1_000_000;
  }

  String nodeId() {
    return ready.join().getString("nodeId");
  }

  CompletableFuture<JsonObject> call(String command) {
    String id = String.valueOf(ids.incrementAndGet());
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    if (!process.isAlive()) {
      f.completeExceptionally(new IllegalStateException("node " + index + " is not running"));
    }
    in.println(id + " " + command);
    return f.thenApply(json -> {
      if (json.containsKey("error")) {
        throw new IllegalStateException("node " + index + ": " + json.getString("error"));
      }
      return json;
    });
  }

  JsonObject get(String command, long timeoutSeconds) throws Exception {
    return call(command).get(timeoutSeconds, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no goodbye to the cluster, as a crashed gateway. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Asks it to leave and waits; kills it if it does not. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      in.println("exit");
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
