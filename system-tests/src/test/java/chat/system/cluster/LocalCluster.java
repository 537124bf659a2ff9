package chat.system.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local multi-process cluster driven through {@code scripts/cluster.sh} (what {@code make cluster}
 * runs), on free ports, under its own cluster name, Postgres schema and Redis prefix, with pids and
 * logs in {@code system-tests/target/}, with mutual TLS on the bus (the script's throwaway CA in
 * {@link #certs}). {@link #close} kills every process it started.
 */
final class LocalCluster implements AutoCloseable {
  static final List<String> NAMES = List.of("gateway-1", "gateway-2", "messaging", "presence", "unread");
  private static final long SCRIPT_TIMEOUT_SECONDS = 240;

  private final Path runDir;
  private final Map<String, String> env;
  private final Map<String, Integer> httpPorts = new HashMap<>();
  private final Map<String, Integer> hazelcastPorts = new HashMap<>();
  private final Thread killOnExit = new Thread(this::killAll, "local-cluster-kill");

  /** {@code serviceEnv}: the settings every process gets (schema, prefix, secrets, TTLs, ...). */
  LocalCluster(String name, Map<String, String> serviceEnv, int... freePorts) {
    if (freePorts.length != 10) {
      throw new IllegalArgumentException("needs 10 free ports: 2 gateways, 3 ops, 5 Hazelcast");
    }
    runDir = Repo.path("system-tests/target/cluster-" + name);
    env = new HashMap<>(System.getenv());
    for (String key : List.of("PORT", "OPS_PORT", "CLUSTER_PORT", "CLUSTER_MEMBERS", "CLUSTER_HOST", "PG_SCHEMA",
        "CLUSTER_TLS", "CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY", "CLUSTER_TLS_CA")) {
      env.remove(key);
    }
    env.putAll(serviceEnv);
    env.put("CLUSTER_NAME", name);
    env.put("CLUSTER_RUN_DIR", runDir.toString());
    env.put("CLUSTER_BUILD", "never");
    env.put("CLUSTER_GATEWAY_PORTS", freePorts[0] + " " + freePorts[1]);
    env.put("CLUSTER_OPS_PORTS", freePorts[2] + " " + freePorts[3] + " " + freePorts[4]);
    env.put("CLUSTER_HZ_PORTS", freePorts[5] + " " + freePorts[6] + " " + freePorts[7] + " " + freePorts[8] + " " + freePorts[9]);
    for (int i = 0; i < NAMES.size(); i++) {
      httpPorts.put(NAMES.get(i), freePorts[i]);
      hazelcastPorts.put(NAMES.get(i), freePorts[5 + i]);
    }
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** The Hazelcast member port of a process. */
  int hazelcastPort(String name) {
    return hazelcastPorts.get(name);
  }

  /** Where {@code cluster.sh} keeps the cluster's throwaway CA and node certificate (for {@code TestCerts.in}). */
  Path certs() {
    return runDir.resolve("certs");
  }

  /** The HTTP port of a process: the API port of a gateway, the ops port of a service. */
  int httpPort(String name) {
    return httpPorts.get(name);
  }

  /** Starts the named processes (all of {@link #NAMES} when none) and returns once each answers /health/ready. */
  void start(String... names) {
    script("start", orAll(names));
  }

  /** SIGTERM: a graceful leave. */
  void stop(String... names) {
    script("stop", orAll(names));
  }

  /** The script's own "all" also means the notifier, which this harness neither gives ports nor stops. */
  private static String[] orAll(String... names) {
    return names.length == 0 ? NAMES.toArray(String[]::new) : names;
  }

  /** SIGKILL, as a crash would. */
  void kill(String... names) {
    script("kill", names);
  }

  Optional<ProcessHandle> process(String name) {
    try {
      Path pid = runDir.resolve(name + ".pid");
      return Files.exists(pid) ? ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String log(String name) {
    try {
      Path log = runDir.resolve(name + ".log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void script(String command, String... names) {
    List<String> cmd = new ArrayList<>(List.of("bash", Repo.path("scripts/cluster.sh").toString(), command));
    cmd.addAll(List.of(names));
    try {
      Files.createDirectories(runDir);
      Path out = runDir.resolve("script.out");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("cluster.sh " + command + " did not finish in " + SCRIPT_TIMEOUT_SECONDS + " s" + diagnostics(out));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("cluster.sh " + command + " " + String.join(" ", names) + " failed" + diagnostics(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String diagnostics(Path out) throws IOException {
    StringBuilder s = new StringBuilder("\n--- cluster.sh output ---\n").append(tail(Files.readString(out), 3000));
    for (String name : NAMES) {
      s.append("\n--- ").append(name).append(".log ---\n").append(tail(log(name), 2000));
    }
    return s.toString();
  }

  private static String tail(String text, int chars) {
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  private void killAll() {
    for (String name : NAMES) {
      process(name).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Kills every process (SIGKILL through the script, then directly for any survivor) and waits for them. */
  @Override
  public void close() {
    List<ProcessHandle> running = NAMES.stream().map(this::process).flatMap(Optional::stream).toList();
    try {
      kill(NAMES.toArray(String[]::new));
    } finally {
      running.forEach(ProcessHandle::destroyForcibly);
      running.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down
      }
    }
  }
}
