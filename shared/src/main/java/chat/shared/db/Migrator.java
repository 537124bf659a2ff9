package chat.shared.db;

import chat.shared.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL migrations of the classpath folder {@code db/<owner>/} ({@code V1__init.sql}, ...)
 * to the configured schema with Flyway, creating the schema if it is missing. Flyway's history of an
 * owner is the table {@code flyway_history_<owner>} in that schema.
 *
 * <p>Databases migrated by the hand-written runner that came before Flyway recorded each applied file
 * in {@code schema_migrations (owner, version = file name)}. When that table exists and Flyway's does
 * not, Flyway baselines at the highest file recorded there, so nothing is re-run and later files
 * apply; the old table is left as it was.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  /** The key the hand-written runner locked, so a replica of the previous release waits on us too. */
  private static final long LOCK_KEY = 0x63686174L; // "chat"
  private static final Pattern LEGACY_FILE = Pattern.compile("V([0-9][0-9._]*)__.*");

  private Migrator() {}

  /** Runs {@link #migrateBlocking} on a worker thread: Flyway is blocking JDBC. */
  public static Future<Void> migrate(Vertx vertx, ChatConfig.Pg pg, String owner) {
    return vertx.executeBlocking(() -> {
      migrateBlocking(pg, owner);
      return null;
    }, false);
  }

  /**
   * Brings {@code pg.schema()} up to the newest migration of {@code owner}. Replicas that start together
   * are serialised by our own session advisory lock, held for the whole step. Flyway's Postgres lock
   * ({@code pg_try_advisory_lock}, retried) covers only applying the files; creating the schema and its
   * history table it merely retries on a collision, and the baseline decision below reads the schema
   * before Flyway runs. The key is the one the previous runner locked, so during a rollout its
   * replicas and ours wait for each other.
   */
  public static void migrateBlocking(ChatConfig.Pg pg, String owner) {
    String url = jdbcUrl(pg);
    String table = "flyway_history_" + owner;
    try (Connection lock = DriverManager.getConnection(url, properties(pg))) {
      try (Statement st = lock.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      }
      FluentConfiguration config = Flyway.configure(Migrator.class.getClassLoader())
          .dataSource(url, pg.user(), pg.password())
          .schemas(pg.schema())
          .table(table)
          .locations("classpath:db/" + owner)
          .cleanDisabled(true)
          .callbacks(new LogEachMigration(owner));
      if (!exists(lock, pg.schema(), table) && exists(lock, pg.schema(), "schema_migrations")) {
        MigrationVersion applied = legacyVersion(lock, pg.schema(), owner);
        LOG.info("Schema {} was migrated by the previous runner up to version {} of {}: Flyway starts from there",
            pg.schema(), applied, owner);
        config.baselineOnMigrate(true).baselineVersion(applied).baselineDescription("schema_migrations");
      }
      config.load().migrate();
      // Closing the connection releases the session lock.
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot migrate schema " + pg.schema() + ": " + e.getMessage(), e);
    }
  }

  public static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  private static String jdbcUrl(ChatConfig.Pg pg) {
    String host = pg.host().contains(":") ? "[" + pg.host() + "]" : pg.host();
    return "jdbc:postgresql://" + host + ":" + pg.port() + "/" + pg.database();
  }

  private static Properties properties(ChatConfig.Pg pg) {
    Properties p = new Properties();
    p.setProperty("user", pg.user());
    if (pg.password() != null) {
      p.setProperty("password", pg.password());
    }
    p.setProperty("ApplicationName", "chat-migrations");
    return p;
  }

  private static boolean exists(Connection conn, String schema, String table) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, quoteIdent(schema) + "." + quoteIdent(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * The highest version the previous runner recorded for {@code owner}, or 0 when it recorded none (it
   * created its table, then stopped before the first file committed). That runner applied the files in
   * order, one transaction each, so every version up to the highest is applied.
   */
  private static MigrationVersion legacyVersion(Connection conn, String schema, String owner) throws SQLException {
    MigrationVersion max = MigrationVersion.fromVersion("0");
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT version FROM " + quoteIdent(schema) + ".schema_migrations WHERE owner = ?")) {
      ps.setString(1, owner);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Matcher m = LEGACY_FILE.matcher(rs.getString(1));
          if (!m.matches()) {
            throw new IllegalStateException("Unexpected entry in schema_migrations: " + rs.getString(1));
          }
          MigrationVersion v = MigrationVersion.fromVersion(m.group(1));
          if (v.compareTo(max) > 0) {
            max = v;
          }
        }
      }
    }
    return max;
  }

  /** One log line per file applied, as before Flyway (operators and tests look for it). */
  private record LogEachMigration(String owner) implements Callback {
    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      LOG.info("Applying migration {}/{}", owner, context.getMigrationInfo().getScript());
    }

    @Override
    public String getCallbackName() {
      return "log-each-migration";
    }
  }
}
