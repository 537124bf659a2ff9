package chat.loadgen;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  /** CPU use of the server and of this process between {@link #start} and {@link #toJson}. */
  public static final class CpuWindow {
    private final long serverPid;
    private final long startNanos;
    private final long serverStart;
    private final long selfStart;

    private CpuWindow(long serverPid) {
      this.serverPid = serverPid;
      this.startNanos = System.nanoTime();
      this.serverStart = serverPid > 0 ? cpuTicks(serverPid) : -1;
      this.selfStart = cpuTicks(0);
    }

    public static CpuWindow start(long serverPid) {
      return new CpuWindow(serverPid);
    }

    /**
     * {@code {"seconds","cores","serverCores","loadgenCores","serverShare","loadgenShare"}}: cores used
     * on average (1.0 = one core busy), and shares of the machine's cores.
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
      if (serverPid > 0) {
        long server = cpuTicks(serverPid);
        if (server >= 0 && serverStart >= 0) {
          double used = coresUsed(server - serverStart, seconds);
          j.put("serverCores", LatencyStats.round3(used)).put("serverShare", LatencyStats.round3(used / cores));
        }
      }
      return j;
    }

    static double coresUsed(long ticks, double seconds) {
      return seconds <= 0 ? 0 : ticks / (double) CLOCK_TICKS_PER_SECOND / seconds;
    }
  }
}
