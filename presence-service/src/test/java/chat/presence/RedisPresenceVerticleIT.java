package chat.presence;

import chat.shared.testing.TestEnv;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** Two presence-service instances sharing one Redis: every change must still be published exactly once. */
@DisplayName("presence-service, two instances sharing Redis")
class RedisPresenceVerticleIT extends PresenceVerticleContract {
  private static final String ISOLATION = TestEnv.isolationName(RedisPresenceVerticleIT.class);

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = TestEnv.env(ISOLATION);
    env.put("REDIS_URL", TestEnv.redisUrl());
    return env;
  }

  @Override
  protected int instances() {
    return 2;
  }

  @Override
  protected void cleanUp() {
    RedisKeys.deleteAll(vertx, TestEnv.redisUrl(), config.redisPrefix());
  }
}
