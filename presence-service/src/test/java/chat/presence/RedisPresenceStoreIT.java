package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.Await;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Redis presence store")
class RedisPresenceStoreIT extends PresenceStoreContract {
  private static final String PREFIX = TestEnv.isolationName(RedisPresenceStoreIT.class) + ":";
  private static Vertx vertx;
  private final List<PresenceStore> opened = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    RedisKeys.deleteAll(vertx, TestEnv.redisUrl(), PREFIX);
    Await.result(vertx.close());
  }

  @Override
  protected PresenceStore createStore() {
    PresenceStore store = new RedisPresenceStore(
        vertx, TestEnv.redisUrl(), PREFIX, PRESENCE_TTL, TYPING_TTL, Duration.ofSeconds(2), clock);
    opened.add(store);
    return store;
  }

  @Override
  protected PresenceStore secondInstance() {
    return createStore();
  }

  @Override
  protected void cleanUp() {
    opened.forEach(s -> Await.result(s.close()));
    RedisKeys.deleteAll(vertx, TestEnv.redisUrl(), PREFIX);
  }

  @Test
  @DisplayName("Once everyone has left and stopped typing, no presence keys are left behind in Redis")
  void leavesNoKeysBehind() {
    String thread = UUID.randomUUID().toString();
    Await.result(store.join(thread, "alice", "a1", "gw1"));
    Await.result(store.join(thread, "bob", "b1", "gw2"));
    Await.result(store.typingStart(thread, "alice"));
    Await.result(store.typingStart(thread, "bob"));
    Await.result(store.leave(thread, "alice", "a1"));
    Await.result(store.disconnect("b1"));
    clock.advance(PRESENCE_TTL.toMillis() + 1);
    Await.result(store.sweep(clock.millis()));

    assertEquals(List.of(PREFIX + "presence:version"), RedisKeys.list(vertx, TestEnv.redisUrl(), PREFIX));
  }

  @Test
  @DisplayName("Keys of this store live under the configured prefix only")
  void keysUnderPrefix() {
    Await.result(store.join(UUID.randomUUID().toString(), "alice", "a1", "gw1"));
    List<String> keys = RedisKeys.list(vertx, TestEnv.redisUrl(), PREFIX);
    assertTrue(keys.size() >= 4, keys::toString);
    assertTrue(keys.stream().allMatch(k -> k.startsWith(PREFIX + "presence:")), keys::toString);
  }
}
