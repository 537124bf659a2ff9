package chat.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution recorded in microseconds (3 significant digits, up to 10 minutes), safe to
 * record into from any thread. Values beyond the range are clamped to the maximum and still counted.
 */
public final class LatencyStats {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Histogram histogram = new ConcurrentHistogram(1, MAX_MICROS, 3);

  public void recordNanos(long nanos) {
    recordMicros(Math.max(1, nanos / 1_000));
  }

  public void recordMicros(long micros) {
    histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, micros)));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public void reset() {
    histogram.reset();
  }

  /** The percentile (0..100) in milliseconds. */
  public double percentileMs(double percentile) {
    return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** {@code {"count","p50","p90","p99","max","mean"}}, times in milliseconds rounded to 3 decimals. */
  public JsonObject toJson() {
    boolean empty = count() == 0;
    return new JsonObject()
        .put("count", count())
        .put("p50", round3(percentileMs(50)))
        .put("p90", round3(percentileMs(90)))
        .put("p99", round3(percentileMs(99)))
        .put("max", empty ? 0.0 : round3(histogram.getMaxValue() / 1000.0))
        .put("mean", empty ? 0.0 : round3(histogram.getMean() / 1000.0));
  }

  static double round3(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
