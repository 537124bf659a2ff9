package chat.scale;

import chat.shared.runtime.ChatProcess;
import chat.shared.runtime.ClusterNode;
import chat.shared.runtime.Deployment;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One cluster member of the harness: a Vert.x joined exactly as a service joins (shared's
 * {@link ChatProcess}, so the cluster settings and whatever security they carry are the services'), with
 * {@code SCALE_INSTANCES} simulated gateway instances. It obeys one-line commands on stdin ({@code <id> <command> <args>}) and
 * answers each with one {@code @@ <json>} line carrying the id on stdout (logs go to stderr); stdin closing ends the process, so a node
 * never outlives its coordinator.
 */
final class ScaleNode {
  static final String REPLY = "@@ ";
  private static final String PAD = "x".repeat(200);
  /** {@code SCALE_MODEL=broadcast}: the node-level model (see {@link SimGateway}); else a consumer per address. */
  static final boolean BROADCAST = "broadcast".equals(System.getenv("SCALE_MODEL"));

  private final PrintStream out;
  private final NodeStats stats = new NodeStats();
  private final List<SimGateway> instances = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private long publishTimer = -1;

  private ScaleNode(PrintStream out) {
    this.out = out;
  }

  static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    new ScaleNode(out).serve(Integer.parseInt(System.getenv().getOrDefault("SCALE_INSTANCES", "2")));
  }

  private void serve(int instanceCount) throws Exception {
    long t0 = System.nanoTime();
    ChatProcess process = ChatProcess.named("scale-node")
        .deploying(config -> List.of(new Deployment(() -> {
          SimGateway g = new SimGateway(stats, BROADCAST);
          instances.add(g);
          return g;
        }, instanceCount)));
    process.start().await();
    vertx = process.vertx();
    reply(new JsonObject().put("ready", true).put("nodeId", ClusterNode.nodeId(vertx))
        .put("startMs", (System.nanoTime() - t0) / 1_000_000)
        .put("jvmUptimeMs", ManagementFactory.getRuntimeMXBean().getUptime()));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("exit")) {
        break;
      }
      String[] words = line.trim().split(" ");
      // Each command on its own thread: a storm's registrations run while latencies are polled.
      Thread worker = new Thread(() -> {
        JsonObject answer;
        try {
          answer = handle(java.util.Arrays.copyOfRange(words, 1, words.length));
        } catch (Exception e) {
          answer = new JsonObject().put("error", String.valueOf(e));
        }
        reply(answer.put("id", words[0]));
      }, "command-" + words[0]);
      worker.setDaemon(true);
      worker.start();
    }
    process.stop();
    System.exit(0);
  }

  private JsonObject handle(String[] c) {
    return switch (c[0]) {
      case "register", "unregister" -> sockets(c[0].equals("register"), i(c[1]), i(c[2]), i(c[3]), i(c[4]), i(c[5]), i(c[6]));
      case "hot" -> timed(() -> sum(instances.stream().map(g -> g.registerHot(i(c[1]))).toList()));
      case "publish" -> publish(i(c[1]), i(c[2]), i(c[3]), i(c[4]), c.length > 5 ? c[5] : "");
      case "stats" -> stats.interval();
      case "heap" -> heap();
      case "dead" -> dead(i(c[1]), i(c[2]), i(c[3]), c[4]);
      case "safe" -> safe();
      default -> throw new IllegalArgumentException("unknown command " + c[0]);
    };
  }

  /** Sockets {@code j} in [from, to) with {@code j % stride == offset}; instance by {@code (j / stride) % I}. */
  private JsonObject sockets(boolean register, int home, int from, int to, int threads, int stride, int offset) {
    int n = instances.size();
    List<Future<Integer>> all = new ArrayList<>();
    return timed(() -> {
      for (int k = 0; k < n; k++) {
        int instance = k;
        SimGateway g = instances.get(k);
        java.util.function.IntPredicate mine = j -> j % stride == offset && (j / stride) % n == instance;
        all.add(register ? g.register(home, from, to, threads, mine) : g.unregister(home, from, to, threads, mine));
      }
      return sum(all);
    });
  }

  private static int sum(List<Future<Integer>> futures) {
    int total = 0;
    for (Future<Integer> f : futures) {
      total += f.await();
    }
    return total;
  }

  private static JsonObject timed(java.util.function.IntSupplier op) {
    long t0 = System.nanoTime();
    int count = op.getAsInt();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new JsonObject().put("count", count).put("seconds", seconds)
        .put("perSecond", seconds > 0 ? count / seconds : 0);
  }

  /**
   * Publishes {@code rate} events a second, half to hot threads (every node) and half to a random open
   * thread of a socket of one of {@code homes}; {@code rate} 0 stops.
   */
  private JsonObject publish(int rate, int hot, int threads, int socketsPerHome, String homes) {
    if (publishTimer >= 0) {
      vertx.cancelTimer(publishTimer);
      publishTimer = -1;
    }
    if (rate > 0) {
      int[] homeList = homes.isEmpty() ? new int[0]
          : java.util.Arrays.stream(homes.split(",")).mapToInt(Integer::parseInt).toArray();
      double perTick = rate / 100.0;
      double[] owed = {0};
      publishTimer = vertx.setPeriodic(10, id -> {
        owed[0] += perTick;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (; owed[0] >= 1; owed[0]--) {
          String address = homeList.length == 0 || (hot > 0 && r.nextBoolean())
              ? SimAddresses.hot(r.nextInt(hot))
              : SimAddresses.thread(homeList[r.nextInt(homeList.length)], r.nextInt(socketsPerHome), r.nextInt(threads));
          JsonObject event = new JsonObject().put("ts", System.nanoTime()).put("pad", PAD);
          if (BROADCAST) {
            vertx.eventBus().publish(SimGateway.FANOUT, event.put("address", address));
          } else {
            vertx.eventBus().publish(address, event);
          }
          stats.published.incrementAndGet();
        }
      });
    }
    return new JsonObject().put("rate", rate);
  }

  /** Heap in use after two full collections, and this node's bus consumers. */
  private JsonObject heap() {
    System.gc();
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int consumers = 0;
    for (SimGateway g : instances) {
      consumers += g.registrations();
    }
    return new JsonObject().put("usedBytes", used).put("consumers", consumers)
        .put("maxBytes", Runtime.getRuntime().maxMemory());
  }

  /** How many of a sample of home's user addresses still have a registration of node {@code deadId}. */
  private JsonObject dead(int home, int sockets, int sample, String deadId) {
    ClusterManager cm = ((VertxInternal) vertx).clusterManager();
    int remaining = 0;
    for (int s = 0; s < sample; s++) {
      Promise<List<RegistrationInfo>> p = Promise.promise();
      cm.getRegistrations(SimAddresses.user(home, (int) ((long) s * sockets / sample)), p);
      if (p.future().await().stream().anyMatch(r -> r.nodeId().equals(deadId))) {
        remaining++;
      }
    }
    return new JsonObject().put("remaining", remaining).put("sample", sample)
        .put("members", ClusterNode.members(vertx).size());
  }

  /** Whether Hazelcast has finished migrating partitions (no backup missing). */
  private JsonObject safe() {
    HazelcastClusterManager hz = (HazelcastClusterManager) ((VertxInternal) vertx).clusterManager();
    return new JsonObject().put("safe", hz.getHazelcastInstance().getPartitionService().isClusterSafe())
        .put("members", ClusterNode.members(vertx).size());
  }

  private synchronized void reply(JsonObject json) {
    out.println(REPLY + json.encode());
  }

  private static int i(String s) {
    return Integer.parseInt(s);
  }
}
