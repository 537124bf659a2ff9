package chat.scale;

import chat.shared.config.ChatConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Runs one measurement: N nodes join; every node registers its sockets' addresses; publish latency when
 * quiet; the last node is killed with SIGKILL and the others re-register all its sockets (the storm) while
 * publishing, timing how long the dead node's registrations stay visible; the re-registered sockets then
 * disconnect (the unregistration storm); a new node joins. Writes one JSON document and prints it.
 */
final class Coordinator {
  private static final int DEAD_SAMPLE = 100;

  private final Settings s;
  private final int sockets;
  private final List<NodeHandle> nodes = new ArrayList<>();
  private final JsonObject result = new JsonObject();
  private final Path dir;
  private final Map<String, String> env = new HashMap<>();

  private Coordinator(Settings s, Path dir) {
    this.s = s;
    this.sockets = s.socketsPerNode();
    this.dir = dir;
    int port = 6000 + ThreadLocalRandom.current().nextInt(300) * 10;
    // Its own cluster name and ports: never joins a test's or another run's cluster on this machine.
    env.put("CLUSTER_NAME", "scale-" + Long.toHexString(System.nanoTime()));
    env.put("CLUSTER_PORT", String.valueOf(port));
    env.put("CLUSTER_MEMBERS", java.util.stream.IntStream.range(port, port + 10)
        .mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.putAll(clusterTls(dir));
    env.put("SCALE_INSTANCES", String.valueOf(s.instances()));
    env.put("SCALE_MODEL", s.model());
  }

  /**
   * The nodes join with mutual TLS, as the chat's own processes do: a throwaway CA and one node certificate
   * in the run directory, from {@code scripts/cluster-certs.sh}.
   */
  private static Map<String, String> clusterTls(Path dir) {
    Path certs = dir.resolve("certs");
    try {
      Process p = new ProcessBuilder("bash", certsScript().toString(), certs.toString(), "node")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("cluster-certs.sh failed: " + out);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Map.of(ChatConfig.Tls.SWITCH, "on",
        ChatConfig.Tls.CERT, certs.resolve("node.pem").toString(),
        ChatConfig.Tls.KEY, certs.resolve("node-key.pem").toString(),
        ChatConfig.Tls.CA, certs.resolve("ca.pem").toString());
  }

  private static Path certsScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path script = d.resolve("scripts/cluster-certs.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("scripts/cluster-certs.sh not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs it; the result names what broke, if anything did ({@code broke}). */
  static JsonObject run(Settings s) throws Exception {
    Path dir = Path.of(s.out(), Instant.now().toString().replace(":", ""));
    Files.createDirectories(dir);
    Coordinator c = new Coordinator(s, dir);
    try {
      c.measure();
    } catch (Exception e) {
      c.result.put("broke", String.valueOf(e));
      e.printStackTrace();
    } finally {
      for (NodeHandle n : c.nodes) {
        n.stop();
      }
      Files.writeString(dir.resolve("result.json"), c.result.encodePrettily());
      System.err.println("results and node logs: " + dir);
    }
    return c.result;
  }

  private List<String> jvm() {
    return List.of("-Xms" + s.xmx(), "-Xmx" + s.xmx(), "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError");
  }

  private void measure() throws Exception {
    result.put("settings", JsonObject.mapFrom(s)).put("socketsPerNode", sockets)
        .put("registrationsPerSocket", 1 + s.threads()).put("loadBefore", load());
    JsonArray joins = new JsonArray();
    for (int i = 0; i < s.nodes(); i++) {
      NodeHandle n = NodeHandle.start(i, jvm(), env, dir);
      nodes.add(n);
      JsonObject ready = n.awaitReady(s.phaseTimeoutSeconds());
      joins.add(new JsonObject().put("node", i).put("spawnToReadyMs", n.readyMs()).put("vertxStartMs", ready.getLong("startMs")));
    }
    result.put("start", joins);
    List<JsonObject> base = all(nodes, "heap");

    all(nodes, "hot " + s.hot());
    // Two halves with the heap read after each: the slope between them is the cost of a registration,
    // free of what a node allocates once (buffers, JIT, the first partitions' structures).
    int half = sockets / 2;
    all(nodes, "stats");
    long t0 = System.nanoTime();
    List<JsonObject> first = all(nodes, i -> "register " + i + " 0 " + half + " " + s.threads() + " 1 0");
    double firstWall = seconds(t0);
    List<JsonObject> mid = all(nodes, "heap");
    long t1 = System.nanoTime();
    List<JsonObject> second = all(nodes, i -> "register " + i + " " + half + " " + sockets + " " + s.threads() + " 1 0");
    double wall = firstWall + seconds(t1);
    List<JsonObject> regStats = all(nodes, "stats");
    int total = first.stream().mapToInt(r -> r.getInteger("count")).sum()
        + second.stream().mapToInt(r -> r.getInteger("count")).sum();
    result.put("register", new JsonObject().put("registrations", total).put("seconds", wall)
        .put("perSecond", total / wall).put("latencyMs", merged(regStats, "registrations")).put("load", load()));

    List<JsonObject> after = all(nodes, "heap");
    JsonArray heap = new JsonArray();
    long slopeBytes = 0;
    long slopeRegs = 0;
    for (int i = 0; i < nodes.size(); i++) {
      long bytes = after.get(i).getLong("usedBytes") - mid.get(i).getLong("usedBytes");
      int regs = after.get(i).getInteger("consumers") - mid.get(i).getInteger("consumers");
      slopeBytes += bytes;
      slopeRegs += regs;
      heap.add(new JsonObject().put("node", i).put("consumers", after.get(i).getInteger("consumers"))
          .put("baseBytes", base.get(i).getLong("usedBytes")).put("midBytes", mid.get(i).getLong("usedBytes"))
          .put("usedBytes", after.get(i).getLong("usedBytes"))
          .put("bytesPerOwnRegistration", regs == 0 ? 0 : bytes / regs));
    }
    result.put("heap", new JsonObject().put("nodes", heap)
        .put("bytesPerRegistration", slopeRegs == 0 ? 0 : slopeBytes / slopeRegs).put("load", load()));
    histogram(nodes.get(0));

    String allHomes = range(0, s.nodes());
    publish(nodes, allHomes);
    // The first seconds of publishing warm the JIT and the senders' caches of who consumes each address.
    TimeUnit.SECONDS.sleep(3);
    all(nodes, "stats");
    TimeUnit.SECONDS.sleep(s.quietSeconds());
    result.put("quietPublish", deliveries(all(nodes, "stats")).put("load", load()));

    if (s.storm()) {
      storm();
    }
    if (s.join()) {
      join();
    }
    publishStop();
    result.put("loadAfter", load());
  }

  /** The last node dies; the others take its sockets (stride over the survivors) while publishing. */
  private void storm() throws Exception {
    NodeHandle victim = nodes.get(nodes.size() - 1);
    String deadId = victim.nodeId();
    List<NodeHandle> survivors = new ArrayList<>(nodes.subList(0, nodes.size() - 1));
    int home = victim.index;
    publish(survivors, range(0, home));
    all(survivors, "stats");
    JsonObject storm = new JsonObject().put("loadStart", load());
    long t0 = System.nanoTime();
    victim.kill();
    nodes.remove(victim);
    List<CompletableFuture<JsonObject>> reg = new ArrayList<>();
    for (int r = 0; r < survivors.size(); r++) {
      reg.add(survivors.get(r).call("register " + home + " 0 " + sockets + " " + s.threads() + " " + survivors.size() + " " + r));
    }
    CompletableFuture<JsonObject> gone = deadGone(survivors.get(0), home, deadId, survivors.size() + 1, t0);
    JsonObject phase = phase(survivors, reg, t0);
    storm.mergeIn(phase);
    try {
      storm.put("deadNode", gone.get(s.phaseTimeoutSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      storm.put("deadNode", new JsonObject().put("broke", String.valueOf(e)));
    }
    result.put("storm", storm.put("loadEnd", load()));

    all(survivors, "stats");
    JsonObject unstorm = new JsonObject().put("loadStart", load());
    long t1 = System.nanoTime();
    List<CompletableFuture<JsonObject>> unreg = new ArrayList<>();
    for (int r = 0; r < survivors.size(); r++) {
      unreg.add(survivors.get(r).call("unregister " + home + " 0 " + sockets + " " + s.threads() + " " + survivors.size() + " " + r));
    }
    result.put("unregisterStorm", unstorm.mergeIn(phase(survivors, unreg, t1)).put("loadEnd", load()));
  }

  /**
   * Polls the survivors' latencies every second until every operation is done: the operations' rate and
   * latency, and the publish latency overall and its worst one-second p99.
   */
  private JsonObject phase(List<NodeHandle> survivors, List<CompletableFuture<JsonObject>> ops, long t0) throws Exception {
    CompletableFuture<Void> done = CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new));
    List<JsonObject> intervals = new ArrayList<>();
    JsonArray perSecond = new JsonArray();
    double worstP99 = 0;
    while (!done.isDone()) {
      if (seconds(t0) > s.phaseTimeoutSeconds()) {
        throw new IllegalStateException("phase not done within " + s.phaseTimeoutSeconds() + " s");
      }
      TimeUnit.SECONDS.sleep(1);
      List<JsonObject> st = all(survivors, "stats");
      intervals.addAll(st);
      JsonObject d = deliveries(st);
      worstP99 = Math.max(worstP99, d.getDouble("p99"));
      perSecond.add(new JsonObject().put("t", Math.round(seconds(t0))).put("deliveryP99", d.getDouble("p99"))
          .put("deliveries", d.getLong("count")).put("ops", merged(st, "registrations").getLong("count")
              + merged(st, "unregistrations").getLong("count")));
    }
    double took = seconds(t0);
    done.get();
    intervals.addAll(all(survivors, "stats"));
    int count = ops.stream().mapToInt(f -> f.join().getInteger("count")).sum();
    return new JsonObject().put("operations", count).put("seconds", took).put("perSecond", count / took)
        .put("registerLatencyMs", merged(intervals, "registrations"))
        .put("unregisterLatencyMs", merged(intervals, "unregistrations"))
        .put("publish", deliveries(intervals).put("worstOneSecondP99", worstP99))
        .put("failed", intervals.stream().mapToLong(j -> j.getLong("failed")).sum())
        .put("perSecondSeries", perSecond);
  }

  /**
   * From the kill: seconds until the survivors' member list drops the dead node, and until none of a
   * sample of its user addresses lists it any more.
   */
  private CompletableFuture<JsonObject> deadGone(NodeHandle asker, int home, String deadId, int before, long t0) {
    return CompletableFuture.supplyAsync(() -> {
      JsonObject gone = new JsonObject();
      try {
        while (seconds(t0) < s.phaseTimeoutSeconds()) {
          JsonObject d = asker.get("dead " + home + " " + sockets + " " + Math.min(DEAD_SAMPLE, sockets) + " " + deadId,
              s.phaseTimeoutSeconds());
          if (d.getInteger("members") < before && !gone.containsKey("memberGoneSeconds")) {
            gone.put("memberGoneSeconds", seconds(t0));
          }
          if (d.getInteger("remaining") == 0 && gone.containsKey("memberGoneSeconds")) {
            return gone.put("registrationsGoneSeconds", seconds(t0));
          }
          TimeUnit.MILLISECONDS.sleep(250);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("dead node still listed after " + s.phaseTimeoutSeconds() + " s: " + gone);
    });
  }

  /** A new node joins the loaded cluster: until it is ready, then until Hazelcast's partitions are safe. */
  private void join() throws Exception {
    List<NodeHandle> before = new ArrayList<>(nodes);
    all(before, "stats");
    JsonObject join = new JsonObject().put("loadStart", load());
    int index = before.get(before.size() - 1).index + 1;
    NodeHandle n = NodeHandle.start(index, jvm(), env, dir);
    nodes.add(n);
    JsonObject ready = n.awaitReady(s.phaseTimeoutSeconds());
    join.put("spawnToReadyMs", n.readyMs()).put("vertxStartMs", ready.getLong("startMs"));
    long t0 = System.nanoTime();
    List<JsonObject> intervals = new ArrayList<>();
    while (!n.get("safe", s.phaseTimeoutSeconds()).getBoolean("safe")) {
      if (seconds(t0) > s.phaseTimeoutSeconds()) {
        throw new IllegalStateException("partitions not safe within " + s.phaseTimeoutSeconds() + " s of the join");
      }
      TimeUnit.MILLISECONDS.sleep(250);
      intervals.addAll(all(before, "stats"));
    }
    intervals.addAll(all(before, "stats"));
    join.put("readyToSafeMs", Math.round(seconds(t0) * 1000)).put("publish", deliveries(intervals));
    result.put("join", join.put("loadEnd", load()));
  }

  /** Where node 0's heap goes, by class (jcmd next to this JVM's java). */
  private void histogram(NodeHandle node) {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(node.pid()), "GC.class_histogram")
          .redirectOutput(dir.resolve("histogram-node-" + node.index + ".txt").toFile()).start();
      p.waitFor(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      result.put("histogram", String.valueOf(e));
    }
  }

  private void publish(List<NodeHandle> publishers, String homes) throws Exception {
    int each = Math.max(1, s.publishRate() / publishers.size());
    all(publishers, "publish " + (s.publishRate() == 0 ? 0 : each) + " " + s.hot() + " " + s.threads() + " " + sockets + " " + homes);
  }

  private void publishStop() throws Exception {
    all(nodes, "publish 0 1 0 1");
  }

  private List<JsonObject> all(List<NodeHandle> on, String command) throws Exception {
    return all(on, i -> command);
  }

  private interface PerNode {
    String command(int index);
  }

  private List<JsonObject> all(List<NodeHandle> on, PerNode command) throws Exception {
    List<CompletableFuture<JsonObject>> fs = new ArrayList<>();
    for (NodeHandle n : on) {
      fs.add(n.call(command.command(n.index)));
    }
    List<JsonObject> out = new ArrayList<>();
    for (CompletableFuture<JsonObject> f : fs) {
      out.add(f.get(s.phaseTimeoutSeconds(), TimeUnit.SECONDS));
    }
    return out;
  }

  private static JsonObject deliveries(List<JsonObject> stats) {
    return merged(stats, "deliveries").put("published", stats.stream().mapToLong(j -> j.getLong("published")).sum());
  }

  private static JsonObject merged(List<JsonObject> stats, String kind) {
    Histogram h = null;
    for (JsonObject j : stats) {
      Histogram one = NodeStats.decode(j.getJsonObject(kind));
      if (h == null) {
        h = one;
      } else {
        h.add(one);
      }
    }
    return h == null ? new JsonObject().put("count", 0) : NodeStats.percentiles(h);
  }

  private static String range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(String::valueOf).collect(Collectors.joining(","));
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The machine's load averages: every number here is read beside them. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }
}
