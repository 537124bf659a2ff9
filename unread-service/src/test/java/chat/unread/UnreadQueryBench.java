package chat.unread;

import chat.shared.protocol.Unread.Badge;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.db.SqlFile;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): the badge query for a user in 200 threads holding 200,000 messages, and
 * for a user in 2,000 threads, at a concurrency of 8 through {@link PgUnreadStore}; one message in ten
 * is deleted (a tombstone, its seq in its thread's deleted_seqs, as the delete statement leaves it). Seeds a scratch
 * schema with SQL (each thread has 10 members, and 20,000 other users' memberships add noise), drops
 * it afterwards, and prints one JSON line per case. Run with
 * {@code java -cp <test classpath> chat.unread.UnreadQueryBench [iterations [concurrency]]}.
 */
public final class UnreadQueryBench {
  private static int CONCURRENCY = 8;

  private UnreadQueryBench() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    CONCURRENCY = args.length > 1 ? Integer.parseInt(args[1]) : CONCURRENCY;
    Map<String, String> env = TestEnv.env(TestEnv.isolationName(UnreadQueryBench.class));
    env.put("PG_POOL_SIZE", String.valueOf(CONCURRENCY));
    ChatConfig config = ChatConfig.from(env);
    Vertx vertx = Vertx.vertx();
    Pool pool = TestEnv.pool(vertx, config);
    try {
      await(Migrator.migrate(vertx, config.pg(), "messaging"));
      seed(pool, "u200", 200, 200_000);
      seed(pool, "u2000", 2_000, 200_000);
      noise(pool);
      await(pool.query("VACUUM ANALYZE").execute());
      UnreadStore store = new PgUnreadStore(pool);
      for (String[] c : new String[][] {{"u200", "200"}, {"u2000", "2000"}}) {
        explain(pool, c[0] + "-0");
        System.out.println(run(vertx, store, c[0], Integer.parseInt(c[1]), iterations).encode());
      }
    } finally {
      await(pool.close());
      TestEnv.dropSchema(vertx, config);
      await(vertx.close());
    }
  }

  /**
   * {@code user} in {@code threads} threads of 10 members, {@code messages} spread evenly, half of each
   * thread unread in three threads of four, and every tenth message deleted.
   */
  private static void seed(Pool pool, String user, int threads, int messages) {
    int perThread = messages / threads;
    String sql = """
        INSERT INTO users (id, name) SELECT '%1$s-' || i, 'x' FROM generate_series(0, 9) i ON CONFLICT DO NOTHING;
        INSERT INTO threads (id, title, created_by, created_at, updated_at, last_seq, version, deleted_seqs)
          SELECT md5('%1$s' || t)::uuid, 't', '%1$s-0', now(), now(), %3$d, %3$d + %3$d / 10,
                 ARRAY(SELECT s FROM generate_series(1, %3$d) s WHERE s %% 10 = 3)
          FROM generate_series(1, %2$d) t;
        INSERT INTO thread_members (thread_id, user_id, role, joined_at, last_read_seq)
          SELECT md5('%1$s' || t)::uuid, '%1$s-' || u, 'member', now(), CASE WHEN t %% 4 = 0 THEN %3$d ELSE %3$d / 2 END
          FROM generate_series(1, %2$d) t, generate_series(0, 9) u;
        INSERT INTO messages (id, thread_id, seq, version, author_id, body, created_at, deleted)
          SELECT gen_random_uuid(), md5('%1$s' || t)::uuid, s, s, '%1$s-' || (s %% 10),
                 CASE WHEN s %% 10 = 3 THEN '' ELSE 'message body' END, now(), s %% 10 = 3
          FROM generate_series(1, %2$d) t, generate_series(1, %3$d) s;
        """.formatted(user, threads, perThread);
    await(pool.query(sql).execute());
  }

  /**
   * 20,000 other users in 50,000 threads of 10 members (500,000 memberships), so the tables are the
   * size of a real deployment's rather than just the benchmarked users'.
   */
  private static void noise(Pool pool) {
    await(pool.query("""
        INSERT INTO users (id, name) SELECT 'n-' || i, 'n' FROM generate_series(1, 20000) i;
        INSERT INTO threads (id, title, created_by, created_at, updated_at, last_seq)
          SELECT md5('n' || t)::uuid, 'n', 'n-1', now(), now(), 50 FROM generate_series(1, 50000) t;
        INSERT INTO thread_members (thread_id, user_id, role, joined_at, last_read_seq)
          SELECT md5('n' || t)::uuid, 'n-' || (1 + (t * 7 + k * 2011) %% 20000), 'member', now(), 25
          FROM generate_series(1, 50000) t, generate_series(0, 9) k
          ON CONFLICT DO NOTHING;
        """.replace("%%", "%")).execute());
  }

  /** The badge query's plan, to stderr: an index scan of the user's memberships plus primary-key probes. */
  private static void explain(Pool pool, String user) {
    String sql = SqlFile.load("chat/unread/unread.sql").get("badge").replace("$1", "'" + user + "'");
    await(pool.query("EXPLAIN (ANALYZE, BUFFERS) " + sql).execute())
        .forEach(row -> System.err.println(row.getString(0)));
  }

  private static JsonObject run(Vertx vertx, UnreadStore store, String prefix, int threads, int iterations) {
    String user = prefix + "-0";
    Badge check = await(store.badge(user));
    long warmupEnd = iterations / 4;
    long[] latencies = new long[iterations];
    int[] next = {0};
    Promise<Void> done = Promise.promise();
    int[] running = {CONCURRENCY};
    long[] started = new long[1];
    vertx.runOnContext(v -> {
      for (int w = 0; w < (int) warmupEnd; w++) {
        store.badge(user);
      }
      store.badge(user).onComplete(x -> {
        started[0] = System.nanoTime();
        for (int c = 0; c < CONCURRENCY; c++) {
          loop(store, user, latencies, next, running, done);
        }
      });
    });
    await(done.future());
    double seconds = (System.nanoTime() - started[0]) / 1e9;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new JsonObject()
        .put("case", "badge")
        .put("threads", threads)
        .put("messages", 200_000)
        .put("deletedShare", 0.1)
        .put("unreadThreads", check.byThread().size())
        .put("unreadTotal", check.total())
        .put("concurrency", CONCURRENCY)
        .put("iterations", iterations)
        .put("medianMs", ms(sorted[sorted.length / 2]))
        .put("p99Ms", ms(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]))
        .put("maxMs", ms(sorted[sorted.length - 1]))
        .put("perSecond", Math.round(iterations / seconds));
  }

  private static void loop(UnreadStore store, String user, long[] latencies, int[] next, int[] running,
      Promise<Void> done) {
    if (next[0] >= latencies.length) {
      if (--running[0] == 0) {
        done.complete();
      }
      return;
    }
    int i = next[0]++;
    long t0 = System.nanoTime();
    store.badge(user).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      latencies[i] = System.nanoTime() - t0;
      loop(store, user, latencies, next, running, done);
    });
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
