package chat.gateway;

import io.vertx.core.Future;

/** A per-key rate limit: whether {@code key} (a user id) may act once more now. */
interface Limiter {
  /** Takes one token for {@code key}: true when granted. Never fails. */
  Future<Boolean> acquire(String key);

  /** The in-memory limiter of this gateway alone. */
  static Limiter local(RateLimiter limiter) {
    return key -> Future.succeededFuture(limiter.tryAcquire(key));
  }
}
