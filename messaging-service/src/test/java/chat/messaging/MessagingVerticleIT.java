package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.runtime.PgPools;
import chat.shared.runtime.Readiness;
import chat.shared.testing.TestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessagingVerticleIT {
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(MessagingVerticleIT.class);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  @DisplayName("Running the migrations again, as a second instance starting would, changes nothing and loses nothing")
  void migrationsTwice() {
    String t = f.createThread("una", "Kept").getString("id");
    f.send("una", t, "still here");
    long applied = f.count("SELECT count(*) FROM flyway_history_messaging");
    Migrator.migrate(f.vertx, f.config.pg(), "messaging").await();
    f.vertx.deployVerticle(new MessagingVerticle(f.config)).await();
    assertEquals(applied, f.count("SELECT count(*) FROM flyway_history_messaging"));
    assertEquals(1L, f.count("SELECT count(*) FROM messages WHERE thread_id = $1", UUID.fromString(t)));
    assertEquals(2L, f.send("una", t, "and more").getLong("seq"));
  }

  @Test
  @DisplayName("The service reports itself ready while Postgres answers")
  void readiness() {
    JsonObject status = Readiness.check(f.vertx).await();
    assertEquals("UP", status.getString("status"));
    assertEquals("UP", status.getJsonObject("checks").getString("postgres-messaging"));
  }

  @Test
  @DisplayName("When Postgres cannot be reached, requests fail fast as unavailable instead of hanging")
  void unreachableDatabaseIsUnavailable() {
    Map<String, String> env = new HashMap<>(TestEnv.env(f.config.pg().schema()));
    env.put("DATABASE_URL", "postgres://postgres@127.0.0.1:" + TestEnv.freePort() + "/postgres");
    ChatConfig down = ChatConfig.from(env);
    Pool pool = PgPools.create(f.vertx, down.pg());
    try {
      MessageStore store = new PgMessageStore(pool);
      String thread = UUID.randomUUID().toString();
      for (var call : java.util.List.<java.util.function.Supplier<io.vertx.core.Future<?>>>of(
          () -> store.memberRole(thread, "una"),
          () -> store.send(new MessageStore.NewMessage(thread, "una", "hi", null, null)),
          () -> store.createThread("una", "t", java.util.List.of("una")),
          () -> store.listThreads("una", 10, null))) {
        ChatException e = assertThrows(ChatException.class, () -> call.get().await());
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
      }
    } finally {
      pool.close().await();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  @DisplayName("When Postgres cannot be reached, batched sends fail fast as unavailable too, none left hanging")
  void unreachableDatabaseFailsBatchedSendsAsUnavailable() {
    Map<String, String> env = new HashMap<>(TestEnv.env(f.config.pg().schema()));
    env.put("DATABASE_URL", "postgres://postgres@127.0.0.1:" + TestEnv.freePort() + "/postgres");
    Pool pool = PgPools.create(f.vertx, ChatConfig.from(env).pg());
    try {
      MessageStore store = new PgMessageStore(pool, 64, 1);
      var batches = chat.shared.runtime.ChatMetrics.registry().get("chat_send_batch_size").summary();
      long statementsBefore = batches.count();
      String thread = UUID.randomUUID().toString();
      java.util.List<io.vertx.core.Future<MessageStore.Sent>> sends = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sends.add(store.send(new MessageStore.NewMessage(thread, "una", "hi " + i, "c" + i, null)));
      }
      io.vertx.core.Future.join(new java.util.ArrayList<>(sends)).otherwiseEmpty().await();
      for (var send : sends) {
        ChatException e = assertInstanceOf(ChatException.class, send.cause());
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
      }
      long statements = batches.count() - statementsBefore;
      assertTrue(statements < 10, "the sends that queued behind the first shared a statement (" + statements + " for 10)");
    } finally {
      pool.close().await();
    }
  }

  @Test
  @DisplayName("A request that is not a JSON object is refused as invalid")
  void nonObjectBody() {
    ChatException e = assertThrows(ChatException.class,
        () -> f.bus.request(Addresses.MEMBER_CHECK, null).await());
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
  }
}
