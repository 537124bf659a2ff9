package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;

/** A per-key rate limit: whether {@code key} (a user id) may act once more now. */
interface Limiter {
  /** Takes one token for {@code key}: true when granted. Never fails. */
  Future<Boolean> acquire(String key);

  /** Takes one token for {@code key}; fails {@code rate_limited} with {@code message} when none is left. */
  default Future<Void> require(String key, String message) {
    return acquire(key).compose(granted -> granted
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ChatException(ErrorCode.RATE_LIMITED, message)));
  }

  /** The in-memory limiter of this gateway alone. */
  static Limiter local(RateLimiter limiter) {
    return key -> Future.succeededFuture(limiter.tryAcquire(key));
  }
}
