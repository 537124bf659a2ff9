package chat.gateway;

import chat.shared.redis.LuaScript;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit shared by every gateway: the bucket of a key lives in Redis and each check is one atomic
 * run of {@code rate_limit.lua}, so ten gateways allow a user the limit once, not ten times.
 *
 * <p>When Redis does not answer within {@code timeoutMs} or fails, the check falls back to this
 * gateway's in-memory limiter (fail open to the per-gateway limit, never to no limit): chat keeps working
 * while Redis is down, and {@code chat_rate_limit_fallback_total} counts the checks decided locally. The
 * outage is logged once when it starts and once when Redis answers again.
 */
final class RedisLimiter implements Limiter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLimiter.class);
  private static final LuaScript SCRIPT = LuaScript.load("/chat/gateway/rate_limit.lua");

  private final Redis redis;
  private final String keyPrefix;
  private final String perSecond;
  private final String burst;
  private final long timeoutMs;
  private final RateLimiter fallback;
  private final Counter fallbacks;
  private final AtomicBoolean down = new AtomicBoolean();

  /** {@code name} tells the limits apart in Redis keys and in the metric (send, typing). */
  RedisLimiter(Redis redis, String redisPrefix, String name, double perSecond, int burst, long timeoutMs,
      RateLimiter fallback) {
    this.redis = redis;
    this.keyPrefix = redisPrefix + "rate:" + name + ":";
    this.perSecond = Double.toString(perSecond);
    this.burst = Integer.toString(burst);
    this.timeoutMs = timeoutMs;
    this.fallback = fallback;
    this.fallbacks = Counter.builder("chat_rate_limit_fallback_total")
            .description("Rate-limit checks decided by the gateway's own memory because Redis did not answer")
            .tag("limit", name)
            .register(ChatMetrics.registry());
  }

  @Override
  public Future<Boolean> acquire(String key) {
    String bucket = keyPrefix + key;
    return SCRIPT.run(redis::send, List.of(bucket), List.of(perSecond, burst))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(r -> {
          if (down.compareAndSet(true, false)) {
            LOG.info("Redis answers again: rate limits are shared by the gateways again");
          }
          return r.toInteger() == 1;
        })
        .otherwise(t -> {
          if (down.compareAndSet(false, true)) {
            LOG.warn("Redis did not answer a rate-limit check ({}): each gateway limits on its own until it does", t.toString());
          }
          fallbacks.increment();
          return fallback.tryAcquire(key);
        });
  }
}
