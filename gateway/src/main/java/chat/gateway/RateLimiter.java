package chat.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Token buckets keyed by a string (a user id): each key may take {@code burst} tokens at once and
 * regains {@code perSecond} tokens a second. Memory is bounded: beyond {@code maxKeys} keys, Caffeine's
 * size policy (recency and frequency) forgets some, and a key idle long enough to refill its whole
 * burst is dropped, since a forgotten key starts again with a full bucket and so loses nothing. A
 * disabled limiter always grants. Safe to share between event loops.
 */
public final class RateLimiter {
  private static final int DEFAULT_MAX_KEYS = 100_000;

  /** One key's tokens and when they were last counted; guarded by itself. */
  private static final class Bucket {
    double tokens;
    long atNanos;

    Bucket(double tokens, long atNanos) {
      this.tokens = tokens;
      this.atNanos = atNanos;
    }
  }

  private final boolean enabled;
  private final double perNano;
  private final double burst;
  private final Ticker ticker;
  private final Cache<String, Bucket> buckets;

  public RateLimiter(boolean enabled, double perSecond, int burst) {
    this(enabled, perSecond, burst, DEFAULT_MAX_KEYS);
  }

  public RateLimiter(boolean enabled, double perSecond, int burst, int maxKeys) {
    this(enabled, perSecond, burst, maxKeys, Ticker.systemTicker());
  }

  RateLimiter(boolean enabled, double perSecond, int burst, int maxKeys, Ticker ticker) {
    this.enabled = enabled;
    this.perNano = perSecond / 1_000_000_000d;
    this.burst = burst;
    this.ticker = ticker;
    // Eviction runs on the calling thread, not in ForkJoinPool's common pool, so no work leaves the event loop.
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder().maximumSize(maxKeys).ticker(ticker).executor(Runnable::run);
    if (perSecond > 0) {
      builder.expireAfterAccess(Duration.ofNanos((long) Math.ceil(burst / perNano)));
    }
    this.buckets = builder.build();
  }

  /** Takes one token for {@code key}; false when the bucket is empty. */
  public boolean tryAcquire(String key) {
    return !enabled || take(key, ticker.read());
  }

  boolean take(String key, long nowNanos) {
    Bucket bucket = buckets.get(key, k -> new Bucket(burst, nowNanos));
    synchronized (bucket) {
      // Another loop may have counted this bucket a little later than our clock reading: no negative refill.
      if (nowNanos > bucket.atNanos) {
        bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.atNanos) * perNano);
        bucket.atNanos = nowNanos;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** The keys remembered now, after pending evictions and expiries (for tests). */
  long trackedKeys() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
