package chat.shared.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies numbered SQL migrations from the classpath folder {@code db/<owner>/}, listed in order in
 * {@code db/<owner>/migrations.txt} ({@code V1__init.sql}, ...). Each file runs in its own
 * transaction under an advisory lock, so several instances starting at once apply each file once.
 * The schema is the pool's {@code search_path}; it and the bookkeeping table are created if missing,
 * under the same lock (concurrent {@code CREATE ... IF NOT EXISTS} may otherwise collide).
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final long LOCK_KEY = 0x63686174L; // "chat"

  private Migrator() {}

  public static Future<Void> migrate(Pool pool, String schema, String owner) {
    List<String> files = list(owner);
    return pool.withConnection(conn -> conn.begin().compose(tx -> conn
        .preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY))
        .compose(v -> conn.preparedQuery("SELECT 1 FROM pg_namespace WHERE nspname = $1").execute(Tuple.of(schema)))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture()
            : conn.query("CREATE SCHEMA IF NOT EXISTS " + quoteIdent(schema)).execute().mapEmpty())
        .compose(v -> conn.query("SET search_path TO " + quoteIdent(schema)).execute())
        .compose(v -> conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute())
        .compose(exists -> exists.iterator().next().getBoolean(0)
            ? Future.succeededFuture()
            : conn.query("CREATE TABLE IF NOT EXISTS schema_migrations ("
            + "owner text NOT NULL, version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (owner, version))").execute().mapEmpty())
        .compose(v -> tx.commit())
        .recover(err -> tx.rollback().transform(x -> Future.failedFuture(err))))
        .compose(v -> applyAll(conn, owner, files, 0)));
  }

  private static Future<Void> applyAll(SqlConnection conn, String owner, List<String> files, int i) {
    if (i == files.size()) {
      return Future.succeededFuture();
    }
    String file = files.get(i);
    String sql = read("db/" + owner + "/" + file);
    return conn.begin().compose(tx -> conn
        .preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY))
        .compose(v -> conn.preparedQuery("SELECT 1 FROM schema_migrations WHERE owner = $1 AND version = $2")
            .execute(Tuple.of(owner, file)))
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.<Void>succeededFuture();
          }
          LOG.info("Applying migration {}/{}", owner, file);
          return conn.query(sql).execute()
              .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (owner, version) VALUES ($1, $2)")
                  .execute(Tuple.of(owner, file)))
              .mapEmpty();
        })
        .compose(v -> tx.commit())
        .recover(err -> tx.rollback().transform(x -> Future.failedFuture(err))))
        .compose(v -> applyAll(conn, owner, files, i + 1));
  }

  public static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  private static List<String> list(String owner) {
    return read("db/" + owner + "/migrations.txt").lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static String read(String resource) {
    try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
