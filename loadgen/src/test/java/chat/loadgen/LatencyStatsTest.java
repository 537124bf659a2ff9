package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  @DisplayName("Percentiles of recorded latencies come out in milliseconds within HdrHistogram's 3-digit precision")
  void percentiles() {
    LatencyStats s = new LatencyStats();
    for (int i = 1; i <= 1000; i++) {
      s.recordMicros(i * 100L);
    }
    JsonObject j = s.toJson();
    assertEquals(1000, j.getLong("count"));
    assertEquals(50.0, j.getDouble("p50"), 0.1);
    assertEquals(90.0, j.getDouble("p90"), 0.1);
    assertEquals(99.0, j.getDouble("p99"), 0.1);
    assertEquals(100.0, j.getDouble("max"), 0.1);
    assertEquals(50.05, j.getDouble("mean"), 0.1);
  }

  @Test
  @DisplayName("An empty distribution reports zeros instead of failing, and nanoseconds are converted")
  void emptyAndNanos() {
    LatencyStats s = new LatencyStats();
    assertEquals(0.0, s.toJson().getDouble("p99"));
    assertEquals(0.0, s.toJson().getDouble("max"));
    s.recordNanos(2_500_000);
    assertEquals(2.5, s.toJson().getDouble("p50"), 0.01);
  }

  @Test
  @DisplayName("A latency beyond ten minutes is clamped and still counted")
  void clamps() {
    LatencyStats s = new LatencyStats();
    s.recordMicros(Long.MAX_VALUE / 2);
    assertEquals(1, s.count());
    assertEquals(600_000.0, s.toJson().getDouble("max"), 600.0);
  }
}
