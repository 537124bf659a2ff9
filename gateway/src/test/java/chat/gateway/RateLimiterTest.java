package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("A user may take the burst at once, then one more token per refill interval")
  void burstThenRefill() {
    RateLimiter limiter = new RateLimiter(true, 2, 3);
    long t = 0;
    assertTrue(limiter.take("u", t));
    assertTrue(limiter.take("u", t));
    assertTrue(limiter.take("u", t));
    assertFalse(limiter.take("u", t));
    assertFalse(limiter.take("u", t + SECOND / 4));
    assertTrue(limiter.take("u", t + SECOND / 2));
    assertFalse(limiter.take("u", t + SECOND / 2));
    assertTrue(limiter.take("u", t + 10 * SECOND));
    assertTrue(limiter.take("u", t + 10 * SECOND));
    assertTrue(limiter.take("u", t + 10 * SECOND));
    assertFalse(limiter.take("u", t + 10 * SECOND));
  }

  @Test
  @DisplayName("One user's flood does not limit another user")
  void perKey() {
    RateLimiter limiter = new RateLimiter(true, 1, 1);
    assertTrue(limiter.take("a", 0));
    assertFalse(limiter.take("a", 0));
    assertTrue(limiter.take("b", 0));
  }

  @Test
  @DisplayName("With rate limits off every request is granted")
  void disabled() {
    RateLimiter limiter = new RateLimiter(false, 1, 1);
    for (int i = 0; i < 1000; i++) {
      assertTrue(limiter.tryAcquire("u"));
    }
  }

  @Test
  @DisplayName("Memory stays bounded: beyond the key limit users are forgotten, and a forgotten user starts with a full bucket")
  void bounded() {
    RateLimiter limiter = new RateLimiter(true, 1, 1, 100);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(limiter.take("user-" + i, 0));
    }
    assertTrue(limiter.trackedKeys() <= 100, "keys remembered: " + limiter.trackedKeys());
    int fullAgain = 0;
    for (int i = 0; i < 10_000; i++) {
      fullAgain += limiter.take("user-" + i, 0) ? 1 : 0;
    }
    assertTrue(fullAgain >= 10_000 - 100, "forgotten users granted again: " + fullAgain);
  }

  @Test
  @DisplayName("A user idle long enough to refill the whole burst is forgotten, which costs that user nothing")
  void idleUsersForgotten() {
    AtomicLong nanos = new AtomicLong();
    RateLimiter limiter = new RateLimiter(true, 2, 4, 100, nanos::get);
    assertTrue(limiter.tryAcquire("u"));
    assertTrue(limiter.tryAcquire("v"));
    nanos.addAndGet(2 * SECOND - 1);
    assertTrue(limiter.tryAcquire("v"));
    assertEquals(2, limiter.trackedKeys(), "u has not yet regained its burst");
    nanos.addAndGet(1);
    assertEquals(1, limiter.trackedKeys(), "u has regained its burst and is forgotten; v was used since");
    for (int i = 0; i < 4; i++) {
      assertTrue(limiter.tryAcquire("u"));
    }
    assertFalse(limiter.tryAcquire("u"));
  }
}
