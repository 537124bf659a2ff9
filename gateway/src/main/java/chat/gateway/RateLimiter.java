package chat.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets keyed by a string (a user id): each key may take {@code burst} tokens at once and
 * regains {@code perSecond} tokens a second. Memory is bounded: the least recently used keys are
 * forgotten beyond {@code maxKeys} (a forgotten key starts again with a full bucket). A disabled
 * limiter always grants.
 */
public final class RateLimiter {
  private static final int DEFAULT_MAX_KEYS = 100_000;

  private final boolean enabled;
  private final double perNano;
  private final double burst;
  private final Map<String, double[]> buckets;

  public RateLimiter(boolean enabled, double perSecond, int burst) {
    this(enabled, perSecond, burst, DEFAULT_MAX_KEYS);
  }

  public RateLimiter(boolean enabled, double perSecond, int burst, int maxKeys) {
    this.enabled = enabled;
    this.perNano = perSecond / 1_000_000_000d;
    this.burst = burst;
    this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Takes one token for {@code key}; false when the bucket is empty. */
  public boolean tryAcquire(String key) {
    return !enabled || take(key, System.nanoTime());
  }

  synchronized boolean take(String key, long nowNanos) {
    double[] bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new double[] {burst, nowNanos};
      buckets.put(key, bucket);
    } else {
      bucket[0] = Math.min(burst, bucket[0] + (nowNanos - (long) bucket[1]) * perNano);
      bucket[1] = nowNanos;
    }
    if (bucket[0] >= 1) {
      bucket[0] -= 1;
      return true;
    }
    return false;
  }
}
