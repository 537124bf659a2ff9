package chat.scale;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** One node's latencies (registration, unregistration, delivery), read and reset per interval. */
final class NodeStats {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Recorder registrations = new Recorder(MAX_MICROS, 3);
  private final Recorder unregistrations = new Recorder(MAX_MICROS, 3);
  private final Recorder deliveries = new Recorder(MAX_MICROS, 3);
  private final AtomicLong failed = new AtomicLong();
  final AtomicLong published = new AtomicLong();

  void registered(long nanos, boolean ok) {
    record(registrations, nanos, ok);
  }

  void unregistered(long nanos, boolean ok) {
    record(unregistrations, nanos, ok);
  }

  void delivered(long nanos) {
    deliveries.recordValue(clamp(nanos));
  }

  private void record(Recorder recorder, long nanos, boolean ok) {
    recorder.recordValue(clamp(nanos));
    if (!ok) {
      failed.incrementAndGet();
    }
  }

  private static long clamp(long nanos) {
    return Math.min(MAX_MICROS, Math.max(0, nanos / 1000));
  }

  /** Everything recorded since the previous call. */
  JsonObject interval() {
    return new JsonObject()
        .put("registrations", summary(registrations.getIntervalHistogram()))
        .put("unregistrations", summary(unregistrations.getIntervalHistogram()))
        .put("deliveries", summary(deliveries.getIntervalHistogram()))
        .put("failed", failed.getAndSet(0))
        .put("published", published.getAndSet(0));
  }

  /** Count and percentiles in milliseconds, and the histogram itself (to merge nodes). */
  static JsonObject summary(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return percentiles(h).put("hdr", Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
  }

  static JsonObject percentiles(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", ms(h.getValueAtPercentile(50)))
        .put("p90", ms(h.getValueAtPercentile(90)))
        .put("p99", ms(h.getValueAtPercentile(99)))
        .put("max", ms(h.getMaxValue()));
  }

  /** The histogram of a {@link #summary}. */
  static Histogram decode(JsonObject summary) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(summary.getString("hdr"))), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
