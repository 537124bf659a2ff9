package chat.scale;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The coordinator's options; every run is bounded in nodes, heap and time. */
record Settings(
    int nodes,
    int registrations,
    int threads,
    int instances,
    String xmx,
    int publishRate,
    int hot,
    int phaseTimeoutSeconds,
    int quietSeconds,
    boolean storm,
    boolean join,
    String model,
    String out) {

  static final String USAGE = "--nodes 3 --registrations 10000 --threads 4 --instances 2 --xmx 1g --publish-rate 200"
      + " --hot 20 --phase-timeout 300 --quiet-seconds 10 --storm true --join true --model address --out scale-results";
  private static final Set<String> KEYS = Set.of("nodes", "registrations", "threads", "instances", "xmx",
      "publish-rate", "hot", "phase-timeout", "quiet-seconds", "storm", "join", "model", "out");

  static Settings parse(String... args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String key = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!KEYS.contains(key) || i + 1 >= args.length) {
        throw new IllegalArgumentException("bad option " + args[i] + "; options: " + USAGE);
      }
      m.put(key, args[i + 1]);
    }
    Settings s = new Settings(
        num(m, "nodes", 3), num(m, "registrations", 10_000), num(m, "threads", 4), num(m, "instances", 2),
        m.getOrDefault("xmx", "1g"), num(m, "publish-rate", 200), num(m, "hot", 20),
        num(m, "phase-timeout", 300), num(m, "quiet-seconds", 10),
        Boolean.parseBoolean(m.getOrDefault("storm", "true")), Boolean.parseBoolean(m.getOrDefault("join", "true")),
        m.getOrDefault("model", "address"), m.getOrDefault("out", "scale-results"));
    if (s.nodes < 2 || s.nodes > 8 || s.registrations < s.nodes || s.threads < 0 || s.instances < 1
        || s.publishRate < 0 || s.hot < 1 || !s.xmx.matches("[0-9]+[mg]")
        || !(s.model.equals("address") || s.model.equals("broadcast"))) {
      throw new IllegalArgumentException("out of range: " + s);
    }
    return s;
  }

  /** Sockets per node: each registers its user address and {@code threads} thread addresses. */
  int socketsPerNode() {
    return Math.max(1, (int) Math.ceil(registrations / (double) nodes / (1 + threads)));
  }

  private static int num(Map<String, String> m, String key, int dflt) {
    return m.containsKey(key) ? Integer.parseInt(m.get(key).replace("_", "")) : dflt;
  }
}
