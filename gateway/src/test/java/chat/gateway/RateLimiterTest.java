package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  @DisplayName("Memory stays bounded: beyond the key limit the least recently used users are forgotten")
  void bounded() {
    RateLimiter limiter = new RateLimiter(true, 1, 1, 2);
    assertTrue(limiter.take("a", 0));
    assertTrue(limiter.take("b", 0));
    assertTrue(limiter.take("c", 0));
    assertTrue(limiter.take("a", 0), "a was forgotten, so it starts with a full bucket");
  }
}
