package chat.loadgen;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Process figures from {@code /proc}: CPU time (utime+stime) and resident memory (VmRSS), for the
 * server (by pid) and for this load generator, plus a CPU window that turns two samples into the share
 * of the machine's cores each process used.
 */
public final class ProcStats {
  static final int CLOCK_TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** utime+stime of {@code pid} in clock ticks, or -1 when unreadable. */
  public static long cpuTicks(long pid) {
    try {
      return cpuTicksOf(Files.readString(Path.of("/proc/" + (pid <= 0 ? "self" : pid) + "/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Parses utime (field 14) + stime (field 15) of a {@code /proc/<pid>/stat} line. */
  static long cpuTicksOf(String stat) {
    String afterName = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = afterName.trim().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** VmRSS of {@code pid} in bytes, or -1. */
  public static long rssBytes(long pid) {
    try {
      return rssBytesOf(Files.readString(Path.of("/proc/" + (pid <= 0 ? "self" : pid) + "/status")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long rssBytesOf(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return Long.parseLong(f[0]) * 1024;
      }
    }
    return -1;
  }

  /** Busy clock ticks of the whole machine (all CPUs, everything but idle and iowait) from /proc/stat, or -1. */
  public static long machineBusyTicks() {
    try {
      return machineBusyTicksOf(Files.readString(Path.of("/proc/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long machineBusyTicksOf(String stat) {
    String cpu = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
    String[] f = cpu.substring(4).trim().split("\\s+");
    long busy = 0;
    for (int i = 0; i < Math.min(f.length, 8); i++) {
      if (i != 3 && i != 4) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  /** utime+stime summed over every process whose command name is {@code comm} (e.g. postgres), or -1. */
  public static long cpuTicksOfCommand(String comm) {
    long total = 0;
    boolean found = false;
    try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path dir : dirs) {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (open >= 0 && close > open && stat.substring(open + 1, close).equals(comm)) {
            total += cpuTicksOf(stat);
            found = true;
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return found ? total : -1;
  }

  /** The one-minute load average (runnable tasks; other work competing for the cores), or -1. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU use of the server processes and of this process between {@link #start} and {@link #toJson}. */
  public static final class CpuWindow {
    private final Map<String, Long> processes;
    private final long startNanos;
    private final Map<String, Long> processStart = new LinkedHashMap<>();
    private final long selfStart;
    private final long machineStart;
    private final long postgresStart;

    private CpuWindow(Map<String, Long> processes) {
      this.processes = new LinkedHashMap<>(processes);
      this.startNanos = System.nanoTime();
      processes.forEach((name, pid) -> processStart.put(name, cpuTicks(pid)));
      this.selfStart = cpuTicks(0);
      this.machineStart = machineBusyTicks();
      this.postgresStart = cpuTicksOfCommand("postgres");
    }

    /** One server process (0 = unknown: no server figures). */
    public static CpuWindow start(long serverPid) {
      return new CpuWindow(serverPid > 0 ? Map.of("server", serverPid) : Map.of());
    }

    /** Several server processes by name (a cluster): {@code serverCores} is their sum. */
    public static CpuWindow start(Map<String, Long> processes) {
      return new CpuWindow(processes);
    }

    /**
     * {@code {"seconds","cores","serverCores","loadgenCores","machineCores","otherCores","serverShare","loadgenShare",
     * "processes"}}: cores used on average (1.0 = one core busy) and shares of the machine's cores;
     * {@code serverCores} sums the server processes, {@code processes} gives each one's cores by name (with
     * several); {@code otherCores} is everything else that ran meanwhile, Postgres ({@code postgresCores},
     * processes named postgres; with an embedded Postgres the same) excluded.
     */
    public JsonObject toJson() {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      int cores = Runtime.getRuntime().availableProcessors();
      JsonObject j = new JsonObject().put("seconds", LatencyStats.round3(seconds)).put("cores", cores);
      long self = cpuTicks(0);
      if (self >= 0 && selfStart >= 0) {
        double used = coresUsed(self - selfStart, seconds);
        j.put("loadgenCores", LatencyStats.round3(used)).put("loadgenShare", LatencyStats.round3(used / cores));
      }
      JsonObject each = new JsonObject();
      double serverTotal = 0;
      boolean allRead = !processes.isEmpty();
      for (Map.Entry<String, Long> p : processes.entrySet()) {
        long now = cpuTicks(p.getValue());
        long before = processStart.get(p.getKey());
        if (now >= 0 && before >= 0) {
          double used = coresUsed(now - before, seconds);
          each.put(p.getKey(), LatencyStats.round3(used));
          serverTotal += used;
        } else {
          allRead = false;
        }
      }
      if (allRead) {
        j.put("serverCores", LatencyStats.round3(serverTotal)).put("serverShare", LatencyStats.round3(serverTotal / cores));
      }
      if (processes.size() > 1) {
        j.put("processes", each);
      }
      j.put("loadAvg1", loadAverage());
      long postgres = cpuTicksOfCommand("postgres");
      if (postgres >= 0 && postgresStart >= 0) {
        j.put("postgresCores", LatencyStats.round3(coresUsed(postgres - postgresStart, seconds)));
      }
      long machine = machineBusyTicks();
      if (machine >= 0 && machineStart >= 0) {
        double used = coresUsed(machine - machineStart, seconds);
        j.put("machineCores", LatencyStats.round3(used));
        j.put("otherCores", LatencyStats.round3(Math.max(0, used - j.getDouble("serverCores", 0.0)
            - j.getDouble("loadgenCores", 0.0) - j.getDouble("postgresCores", 0.0))));
      }
      return j;
    }

    static double coresUsed(long ticks, double seconds) {
      return seconds <= 0 ? 0 : ticks / (double) CLOCK_TICKS_PER_SECOND / seconds;
    }
  }
}
