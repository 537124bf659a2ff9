package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProcStatsTest {
  @Test
  @DisplayName("CPU time is utime+stime of /proc/<pid>/stat even when the process name contains spaces and parentheses")
  void parsesStat() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
    assertEquals(1234 + 567, ProcStats.cpuTicksOf(stat));
  }

  @Test
  @DisplayName("Machine-wide busy time counts user, nice, system, irq, softirq and steal but not idle or iowait")
  void parsesMachineStat() {
    assertEquals(10 + 1 + 5 + 2 + 3 + 4, ProcStats.machineBusyTicksOf("cpu  10 1 5 1000 50 2 3 4 0 0\ncpu0 5 0 2 500 25 1 1 2 0 0\n"));
    assertTrue(ProcStats.machineBusyTicks() > 0);
  }

  @Test
  @DisplayName("Resident memory is read from VmRSS in kilobytes")
  void parsesRss() {
    assertEquals(2048L * 1024, ProcStats.rssBytesOf("Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t    2048 kB\nThreads: 3\n"));
    assertEquals(-1, ProcStats.rssBytesOf("Name:\tjava\n"));
  }

  @Test
  @DisplayName("This process's own CPU and memory can be read, and a CPU window reports the load generator's cores")
  void readsSelf() {
    assertTrue(ProcStats.cpuTicks(0) >= 0);
    assertTrue(ProcStats.rssBytes(0) > 0);
    JsonObject j = ProcStats.CpuWindow.start(0).toJson();
    assertTrue(j.containsKey("loadgenCores"));
    assertTrue(ProcStats.cpuTicksOfCommand("java") >= 0);
    assertEquals(-1, ProcStats.cpuTicksOfCommand("no-such-command-here"));
    assertEquals(0.5, ProcStats.CpuWindow.coresUsed(50, 1.0), 1e-9);
  }

  @Test
  @DisplayName("The open-file limit of this process is known, so the connections scenario can fit under it")
  void openFiles() {
    assertTrue(ServerProbe.openFileLimit(0) > 0);
  }
}
