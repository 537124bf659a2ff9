package chat.shared.testing;

import chat.shared.config.ChatConfig;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.db.Migrator;
import chat.shared.runtime.PgPools;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.TestInfo;

/**
 * Test configuration against the machine's Postgres and Redis. Every test class gets its own schema
 * and Redis key prefix ({@link #forClass}), so tests never see each other's data; {@link #dropSchema}
 * removes the schema afterwards.
 */
public final class TestEnv {
  public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";

  private TestEnv() {}

  public static String pgUrl() {
    return System.getProperty("test.pg.url", "postgres://postgres@127.0.0.1:5432/postgres");
  }

  public static String redisUrl() {
    return System.getProperty("test.redis.url", "redis://127.0.0.1:6379");
  }

  /** A unique, lower-case schema / prefix name for a test class. */
  public static String isolationName(Class<?> testClass) {
    return ("t_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
  }

  /** The environment of a test process: own schema, own Redis prefix, short presence TTLs. */
  public static Map<String, String> env(String isolation) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", pgUrl());
    env.put("PG_SCHEMA", isolation);
    env.put("PG_POOL_SIZE", "8");
    env.put("REDIS_PREFIX", isolation + ":");
    env.put("JWT_SECRET", JWT_SECRET);
    env.put("CHAT_DEV_LOGIN", "true");
    env.put("PORT", String.valueOf(freePort()));
    // tests run dev login: loopback only (and no loud warning about it)
    env.put("HOST", "127.0.0.1");
    env.put("BUS_TIMEOUT_MS", "3000");
    env.put("UNREAD_FLUSH_MS", "20");
    return env;
  }

  /** The {@code BUS_ROUTING} of the test class being run: its {@link RunsWith}, else the default (node). */
  public static BusRouting routing(TestInfo info) {
    RunsWith mode = testClass(info).getDeclaredAnnotation(RunsWith.class);
    return mode == null ? BusRouting.NODE : mode.value();
  }

  /** The test class being run, a subclass included (its name isolates the schema and cluster). */
  public static Class<?> testClass(TestInfo info) {
    return info.getTestClass().orElseThrow();
  }

  public static ChatConfig forClass(Class<?> testClass) {
    return ChatConfig.from(env(isolationName(testClass)));
  }

  public static ChatConfig config(Map<String, String> env) {
    return ChatConfig.from(env);
  }

  public static Pool pool(Vertx vertx, ChatConfig config) {
    return PgPools.create(vertx, config.pg());
  }

  public static void dropSchema(Vertx vertx, ChatConfig config) {
    PgConnectOptions opts = PgPools.connectOptions(config.pg());
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(opts).using(vertx).build();
    try {
      pool.query("DROP SCHEMA IF EXISTS " + Migrator.quoteIdent(config.pg().schema()) + " CASCADE")
          .execute().await();
    } finally {
      pool.close().await();
    }
  }

  /**
   * A port free now, below Linux's ephemeral range (32768 and up): a port the OS hands out for ephemeral use
   * can be taken by any outgoing connection (Hazelcast's, Postgres's) between this call and the bind.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 500; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (java.io.IOException inUse) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32000");
  }
}
