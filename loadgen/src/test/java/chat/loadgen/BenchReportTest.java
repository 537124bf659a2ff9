package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static String sendrate(double rate, double p99) {
    return new JsonObject().put("scenario", "sendrate")
        .put("params", new JsonObject().put("concurrency", 32).put("threads", 32).put("duration", 10).put("warmup", 3))
        .put("sendsPerSec", rate)
        .put("latencyMs", new JsonObject().put("p50", 2.0).put("p90", 3.0).put("p99", p99).put("max", 80.0))
        .put("errors", new JsonObject().put("503", 2))
        .put("cpu", new JsonObject().put("serverCores", 1.4).put("loadgenCores", 0.5))
        .encode();
  }

  @Test
  @DisplayName("The table shows each scenario's numbers, whether issue 7's goal is met, and by how much it is missed")
  void tableRows() {
    String t = BenchReport.table(List.of(sendrate(12_345.6, 9.5), sendrate(5_000, 61)), "Machine: 2 cores");
    assertTrue(t.startsWith("Machine: 2 cores\n\n| Scenario |"), t);
    assertTrue(t.contains("**12,346 sends/s**"), t);
    assertTrue(t.contains("| yes |"), t);
    assertTrue(t.contains("no: rate 50% of goal; p99 61.0 ms"), t);
    assertTrue(t.contains("503: 2"), t);
    assertTrue(t.contains("1.4 / ? / 0.5 / ?"), t);
  }

  @Test
  @DisplayName("A run through two gateways is labelled a cluster row, with each process's cores and CPU time per operation")
  void clusterRow() {
    String line = new JsonObject().put("scenario", "sendrate").put("gateways", 2)
        .put("params", new JsonObject().put("concurrency", 32).put("threads", 32).put("duration", 10).put("warmup", 5))
        .put("sends", 20_000).put("sendsPerSec", 2_000.0)
        .put("latencyMs", new JsonObject().put("p50", 10.0).put("p90", 12.0).put("p99", 20.0).put("max", 30.0))
        .put("cpu", new JsonObject().put("seconds", 10.0).put("serverCores", 1.0).put("postgresCores", 0.4).put("loadgenCores", 0.3)
            .put("otherCores", 0.1).put("processes", new JsonObject().put("gateway-1", 0.25).put("gateway-2", 0.25).put("messaging", 0.5)))
        .encode();
    String t = BenchReport.table(List.of(line, sendrate(5_000, 9.5)), null);
    assertTrue(t.contains("| sendrate (cluster) |"), t);
    assertTrue(t.contains("1.0 (gateway-1 0.25, gateway-2 0.25, messaging 0.5) / 0.4 / 0.3 / 0.1"), t);
    assertTrue(t.contains("per send: gateway-1 125 µs, gateway-2 125 µs, messaging 250 µs, all 500 µs, Postgres 200 µs"), t);
    String s = BenchReport.summary(List.of(line), null);
    assertTrue(s.contains("sends, 32 in flight, cluster of 3 JVMs, 2 gateways"), s);
    assertTrue(s.contains("server CPU 500 µs/send"), s);
  }

  @Test
  @DisplayName("The cluster at rest is a row of its own, with each process's cores, and is left out of the short table")
  void idleRow() {
    String line = new JsonObject().put("scenario", "idle").put("gateways", 2).put("params", new JsonObject().put("duration", 5))
        .put("cpu", new JsonObject().put("seconds", 5.0).put("serverCores", 0.2).put("loadgenCores", 0.0)
            .put("processes", new JsonObject().put("gateway-1", 0.05).put("messaging", 0.15)))
        .encode();
    String t = BenchReport.table(List.of(line), null);
    assertTrue(t.contains("| idle (cluster) | no traffic, 5 s | server processes at rest: **0.2 cores** |"), t);
    assertTrue(t.contains("0.2 (gateway-1 0.05, messaging 0.15)"), t);
    assertTrue(!BenchReport.summary(List.of(line), null).contains("idle"));
  }

  @Test
  @DisplayName("Fan-out with a lost delivery is never reported as meeting the goal")
  void fanoutLoss() {
    String line = new JsonObject().put("scenario", "fanout")
        .put("params", new JsonObject().put("threads", 500).put("members", 10).put("rate", 5000).put("duration", 10))
        .put("messagesPerSec", 5000.0).put("deliveriesPerSec", 50_000.0)
        .put("e2eLatencyMs", new JsonObject().put("p50", 3.0).put("p99", 20.0).put("max", 40.0))
        .put("lost", 1).put("duplicates", 0).put("skipped", 0).encode();
    String t = BenchReport.table(List.of(line), null);
    assertTrue(t.contains("**lost 1**"), t);
    assertTrue(t.contains("no: 1 lost"), t);
  }

  @Test
  @DisplayName("Unread gives one row per user and concurrency; one request at a time is judged against 2 ms and 10 ms medians, a loaded row is not, and a wrong total is flagged")
  void unreadRows() {
    JsonObject u1 = new JsonObject().put("threads", 200).put("concurrency", 1).put("messages", 200_000).put("totalCorrect", true)
        .put("requestsPerSec", 3000.0).put("latencyMs", new JsonObject().put("p50", 1.5).put("p99", 4.0));
    JsonObject u2 = new JsonObject().put("threads", 2000).put("concurrency", 1).put("messages", 203_600).put("totalCorrect", false)
        .put("reportedTotal", 7).put("requestsPerSec", 300.0).put("latencyMs", new JsonObject().put("p50", 20.0).put("p99", 40.0));
    JsonObject u3 = new JsonObject().put("threads", 2000).put("concurrency", 8).put("messages", 203_600).put("totalCorrect", true)
        .put("requestsPerSec", 300.0).put("latencyMs", new JsonObject().put("p50", 25.0).put("p99", 60.0));
    String line = new JsonObject().put("scenario", "unread").put("params", new JsonObject().put("concurrency", 8).put("duration", 10))
        .put("seedComplete", true).put("seeded", 203_600).put("seedSeconds", 40.0).put("seedSendsPerSec", 5090.0)
        .put("users", new JsonArray().add(u1).add(u2).add(u3)).encode();
    String[] rows = BenchReport.table(List.of(line), null).split("\n");
    assertEquals(5, rows.length);
    assertTrue(rows[2].contains("median 1.50 ms") && rows[2].contains("| yes |") && rows[2].contains("C=1"), rows[2]);
    assertTrue(rows[3].contains("median 2.0x the goal") && rows[3].contains("**wrong** (7)"), rows[3]);
    assertTrue(rows[4].contains("C=8 (load)") && rows[4].contains("not judged") && rows[4].contains("| – |"), rows[4]);
  }

  @Test
  @DisplayName("Connections report heap and RSS per connection and say when the count was capped by a file limit")
  void connectionsRow() {
    String line = new JsonObject().put("scenario", "connections").put("params", new JsonObject().put("ping-ms", 5000))
        .put("requested", 50_000).put("connections", 18_976).put("cappedBy", new JsonArray().add("server RLIMIT_NOFILE 20000"))
        .put("heapBytesPerConnection", 10_240).put("rssBytesPerConnection", 30_720)
        .put("broadcastMs", new JsonArray().add(120.4).add(90.0)).encode();
    String t = BenchReport.table(List.of(line), null);
    assertTrue(t.contains("heap **10.0 KB/conn**, RSS 30.0 KB/conn"), t);
    assertTrue(t.contains("capped by server RLIMIT_NOFILE 20000"), t);
    assertTrue(t.contains("max 120 ms over 2"), t);
    assertTrue(t.contains("no: 38% of 50,000 conns"), t);
  }

  @Test
  @DisplayName("The short table gives each judged run's headline numbers, the goal and whether it is met, without settings, CPU or the loaded badge rows")
  void summaryRows() {
    String fanout = new JsonObject().put("scenario", "fanout")
        .put("params", new JsonObject().put("threads", 100).put("members", 10).put("rate", 5000).put("duration", 10))
        .put("messagesPerSec", 3269.2).put("deliveriesPerSec", 32_692.0)
        .put("e2eLatencyMs", new JsonObject().put("p50", 585.0).put("p99", 765.0).put("max", 797.0))
        .put("lost", 0).put("duplicates", 0).put("skipped", 15308).encode();
    JsonObject single = new JsonObject().put("threads", 2000).put("concurrency", 1).put("messages", 203_600).put("totalCorrect", true)
        .put("requestsPerSec", 254.0).put("latencyMs", new JsonObject().put("p50", 3.64).put("p99", 6.76));
    JsonObject loaded = single.copy().put("concurrency", 8).put("latencyMs", new JsonObject().put("p50", 14.1).put("p99", 39.4));
    String unread = new JsonObject().put("scenario", "unread").put("params", new JsonObject().put("concurrency", 8).put("duration", 10))
        .put("seedComplete", true).put("users", new JsonArray().add(single).add(loaded)).encode();
    String connections = new JsonObject().put("scenario", "connections").put("params", new JsonObject().put("ping-ms", 5000))
        .put("requested", 50_000).put("connections", 18_976).put("heapBytesPerConnection", 14_643)
        .put("broadcastMs", new JsonArray().add(471.0)).encode();
    String t = BenchReport.summary(List.of(sendrate(12_345.6, 9.5), fanout, unread, connections), "Measured 2026-11-26, commit abc1234.");
    String[] rows = t.split("\n");
    assertEquals("Measured 2026-11-26, commit abc1234.", rows[0]);
    assertEquals("| Scenario | Result | Goal (issue 7) | Met |", rows[2]);
    assertEquals("| sends, 32 in flight | **12,346 sends/s**, p99 9.50 ms; errors 503: 2 | >= 10,000 sends/s, p99 < 50 ms | yes |", rows[4]);
    assertEquals("| fan-out, 5,000 msg/s offered, 100 threads x 10 members | **3,269 msg/s**, p99 765 ms, lost 0"
        + " | 5,000 msg/s x 10 members, p99 < 50 ms, 0 lost | no: rate 65% of 5,000; p99 765 ms |", rows[5]);
    assertEquals("| badge, 2,000 threads, one request at a time | **median 3.64 ms**, p99 6.76 ms | 2,000 threads: median < 10 ms | yes |", rows[6]);
    assertEquals("| 18,976 idle bridge connections | heap **14.3 KB/conn**, broadcast max 471 ms"
        + " | 50,000 conns, < 20 KB heap each, broadcast < 1 s | no: 38% of 50,000 conns |", rows[7]);
    assertEquals(8, rows.length);
  }

  @Test
  @DisplayName("A failed scenario still gets a row with its error")
  void failedRow() {
    String line = new JsonObject().put("scenario", "fanout").put("params", new JsonObject()).put("error", "connection refused").encode();
    assertTrue(BenchReport.table(List.of(line), null).contains("**failed**: connection refused"));
  }

  @Test
  @DisplayName("The section between the bench markers is replaced, and a document without markers is left alone")
  void readmeSection() {
    String readme = "# Chat\n\n## Performance\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nmore\n";
    assertEquals("# Chat\n\n## Performance\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\nmore\n",
        BenchReport.replaceSection(readme, "| new |\n"));
    assertNull(BenchReport.replaceSection("# Chat\n", "| new |"));
  }
}
