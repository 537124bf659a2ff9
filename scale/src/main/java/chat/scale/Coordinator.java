package chat.scale;

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
    env.put("SCALE_INSTANCES", String.valueOf(s.instances()));
  }

  static boolean run(Settings s) throws Exception {
    Path dir = Path.of(s.out(), Instant.now().toString().replace(":", ""));
    Files.createDirectories(dir);
    Coordinator c = new Coordinator(s, dir);
    try {
      c.measure();
      return true;
    } catch (Exception e) {
      c.result.put("broke", String.valueOf(e));
      e.printStackTrace();
      return false;
    } finally {
      for (NodeHandle n : c.nodes) {
        n.stop();
      }
      Files.writeString(dir.resolve("result.json"), c.result.encodePrettily());
      System.out.println(c.result.encodePrettily());
      System.err.println("results and node logs: " + dir);
    }
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
    all(nodes, "stats");
    long t0 = System.nanoTime();
    List<JsonObject> reg = all(nodes, i -> "register " + i + " 0 " + sockets + " " + s.threads() + " 1 0");
    double wall = seconds(t0);
    List<JsonObject> regStats = all(nodes, "stats");
    int total = reg.stream().mapToInt(r -> r.getInteger("count")).sum();
    result.put("register", new JsonObject().put("registrations", total).put("seconds", wall)
        .put("perSecond", total / wall).put("latencyMs", merged(regStats, "registrations")).put("load", load()));

    List<JsonObject> after = all(nodes, "heap");
    JsonArray heap = new JsonArray();
    long deltaSum = 0;
    long consumers = 0;
    for (int i = 0; i < nodes.size(); i++) {
      long delta = after.get(i).getLong("usedBytes") - base.get(i).getLong("usedBytes");
      int own = after.get(i).getInteger("consumers");
      deltaSum += delta;
      consumers += own;
      heap.add(new JsonObject().put("node", i).put("consumers", own).put("usedBytes", after.get(i).getLong("usedBytes"))
          .put("deltaBytes", delta).put("bytesPerOwnRegistration", own == 0 ? 0 : delta / own));
    }
    result.put("heap", new JsonObject().put("nodes", heap).put("clusterBytesPerRegistration", deltaSum / consumers)
        .put("load", load()));

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
    CompletableFuture<Double> gone = deadGone(survivors.get(0), home, deadId, t0);
    JsonObject phase = phase(survivors, reg, t0);
    storm.mergeIn(phase);
    try {
      storm.put("deadRegistrationsGoneSeconds", gone.get(s.phaseTimeoutSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      storm.put("deadRegistrationsGoneSeconds", "not within " + s.phaseTimeoutSeconds() + " s: " + e);
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

  /** Seconds from the kill until none of a sample of the dead node's addresses lists it. */
  private CompletableFuture<Double> deadGone(NodeHandle asker, int home, String deadId, long t0) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        while (seconds(t0) < s.phaseTimeoutSeconds()) {
          JsonObject d = asker.get("dead " + home + " " + sockets + " " + Math.min(DEAD_SAMPLE, sockets) + " " + deadId,
              s.phaseTimeoutSeconds());
          if (d.getInteger("remaining") == 0) {
            return seconds(t0);
          }
          TimeUnit.MILLISECONDS.sleep(250);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("dead node's registrations still listed");
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
