package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The messaging migrations under Flyway: from a database of the previous runner, and replicas racing. */
class MigrationsIT {
  /** The files the runner before Flyway applied, in its order. */
  private static final List<String> LEGACY_FILES =
      List.of("V1__init.sql", "V2__hot_read_markers.sql", "V3__lean_message_insert.sql");

  private final Vertx vertx = Vertx.vertx();
  private final List<ChatConfig> schemas = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    try {
      schemas.forEach(c -> TestEnv.dropSchema(vertx, c));
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("A schema migrated by the runner before Flyway starts under Flyway with nothing re-run, its data kept, and later files applied")
  void legacySchemaIsBaselined() throws Exception {
    ChatConfig.Pg pg = newSchema();
    try (Connection c = connect(pg)) {
      legacyMigrate(c, pg.schema());
      exec(c, """
          INSERT INTO users (id, name) VALUES ('una', 'Una');
          INSERT INTO threads (id, title, created_by, created_at, updated_at, last_seq)
            VALUES ('00000000-0000-0000-0000-000000000001', 'Kept', 'una', now(), now(), 1);
          INSERT INTO thread_members (thread_id, user_id, role, joined_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 'una', 'admin', now());
          INSERT INTO messages (id, thread_id, seq, author_id, body, created_at)
            VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', 1, 'una', 'still here', now());
          """);
    }

    // V1 re-run would fail on CREATE TABLE users; V2's DROP INDEX / CREATE INDEX would fail too.
    Migrator.migrate(vertx, pg, "messaging").await();

    try (Connection c = connect(pg)) {
      assertEquals(1L, count(c, "SELECT count(*) FROM messages"));
      assertEquals(List.of("3:BASELINE", "4:SQL", "5:SQL", "6:SQL", "7:SQL", "8:SQL", "9:SQL"),
          strings(c, "SELECT version || ':' || type FROM flyway_history_messaging WHERE success ORDER BY installed_rank"));
      assertEquals(3L, count(c, "SELECT count(*) FROM schema_migrations"), "the old table is left as it was");
      assertEquals(1L, count(c, "SELECT version FROM messages"), "V5 gave the kept message version = seq");
      assertEquals(1L, count(c, "SELECT version FROM threads"), "V5 gave the kept thread version = last_seq");
      assertEquals(1L, count(c, "SELECT unread_count(id, last_seq, 0) FROM threads"), "V4's form still answers");
      assertEquals(1L, count(c, "SELECT member_count FROM threads"), "V7 counted the existing members");
    }

    // Started again (a restart, a second replica): validation passes on the baselined history, nothing runs.
    Migrator.migrate(vertx, pg, "messaging").await();
    try (Connection c = connect(pg)) {
      assertEquals(7L, count(c, "SELECT count(*) FROM flyway_history_messaging"));
    }
  }

  @Test
  @DisplayName("Two replicas migrating a new schema at once both start, and every file is applied once")
  void racingReplicas() throws Exception {
    ChatConfig.Pg pg = newSchema();
    CyclicBarrier together = new CyclicBarrier(2);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(CompletableFuture.runAsync(() -> {
        try {
          together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        Migrator.migrateBlocking(pg, "messaging");
      }));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    try (Connection c = connect(pg)) {
      List<String> applied = strings(c,
          "SELECT version FROM flyway_history_messaging WHERE type = 'SQL' AND success ORDER BY installed_rank");
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), applied);
      assertEquals(0L, count(c, "SELECT count(*) FROM flyway_history_messaging WHERE NOT success"));
      assertNotNull(strings(c, "SELECT to_regclass('messages')::text").get(0));
    }
  }

  private ChatConfig.Pg newSchema() {
    ChatConfig config = TestEnv.forClass(MigrationsIT.class);
    schemas.add(config);
    return config.pg();
  }

  /** What the runner before Flyway did: its bookkeeping table, then each file with its row. */
  private static void legacyMigrate(Connection c, String schema) throws SQLException, IOException {
    exec(c, "CREATE SCHEMA " + Migrator.quoteIdent(schema) + "; SET search_path TO " + Migrator.quoteIdent(schema));
    exec(c, "CREATE TABLE schema_migrations (owner text NOT NULL, version text NOT NULL, "
        + "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, version))");
    for (String file : LEGACY_FILES) {
      exec(c, resource("db/messaging/" + file));
      exec(c, "INSERT INTO schema_migrations (owner, version) VALUES ('messaging', '" + file + "')");
    }
    assertTrue(count(c, "SELECT count(*) FROM pg_proc WHERE proname = 'unread_count' "
        + "AND pronamespace = '" + schema + "'::regnamespace") == 0);
  }

  private static Connection connect(ChatConfig.Pg pg) throws SQLException {
    Connection c = DriverManager.getConnection(
        "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database(), pg.user(), pg.password());
    exec(c, "SET search_path TO " + Migrator.quoteIdent(pg.schema()));
    return c;
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = MigrationsIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
