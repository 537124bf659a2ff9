package chat.loadgen;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Memory of the server process: heap used after a full GC (GC forced with {@code jcmd <pid> GC.run}
 * when the pid is known; heap read from the gateway's {@code /metrics} jvm_memory_used_bytes{area="heap"})
 * and resident set size from {@code /proc/<pid>/status}.
 */
public final class ServerProbe {
  private final Run run;

  public ServerProbe(Run run) {
    this.run = run;
  }

  /** {@code {"heapBytes","rssBytes","gcForced","note"?}}; -1 for a figure that could not be read. */
  public JsonObject sample() {
    JsonObject j = new JsonObject();
    boolean gc = forceGc();
    j.put("gcForced", gc);
    double heap = -1;
    try {
      heap = PromText.sum(run.api().metrics().await(), "jvm_memory_used_bytes", "area=\"heap\"");
    } catch (RuntimeException e) {
      j.put("note", "no /metrics: " + e.getMessage());
    }
    if (heap < 0 && !j.containsKey("note")) {
      j.put("note", "/metrics has no jvm_memory_used_bytes{area=\"heap\"}");
    }
    j.put("heapBytes", (long) heap);
    j.put("rssBytes", run.serverPid() > 0 ? ProcStats.rssBytes(run.serverPid()) : -1L);
    return j;
  }

  private boolean forceGc() {
    if (run.serverPid() <= 0) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("jcmd", String.valueOf(run.serverPid()), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      boolean finished = p.waitFor(60, TimeUnit.SECONDS);
      if (!finished) {
        p.destroy();
      }
      Thread.sleep(500);
      return finished && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The soft "Max open files" of {@code pid} (0 = this process), or -1. */
  public static long openFileLimit(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + (pid <= 0 ? "self" : pid) + "/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
