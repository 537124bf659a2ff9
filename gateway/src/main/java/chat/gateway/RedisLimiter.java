package chat.gateway;

import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
  private static final String SCRIPT = load("/chat/gateway/rate_limit.lua");
  private static final String SHA = sha1(SCRIPT);

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
    return eval(Command.EVALSHA, SHA, bucket)
        .recover(t -> t instanceof ErrorType err && err.is("NOSCRIPT") ? eval(Command.EVAL, SCRIPT, bucket) : Future.failedFuture(t))
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

  // ErrorType is internal, but the only way to tell a NOSCRIPT reply (presence's LuaScript does the same)
  private Future<Response> eval(Command command, String script, String bucket) {
    return redis.send(Request.cmd(command).arg(script).arg(1).arg(bucket).arg(perSecond).arg(burst));
  }

  private static String load(String resource) {
    try (InputStream in = RedisLimiter.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing script resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
