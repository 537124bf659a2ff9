package chat.unread;

import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's world: its own schema with the messaging migrations, the real UnreadVerticle deployed,
 * and threads and messages written exactly as messaging-service writes them (its send statement,
 * then its {@code events.message-sent.unread} event after the commit).
 */
final class TestChat implements AutoCloseable {
  private static final SqlFile SQL = SqlFile.load("chat/unread/fixture.sql");
  private static final AtomicInteger IDS = new AtomicInteger();

  final Vertx vertx;
  final ChatConfig config;
  final Pool pool;

  private TestChat(Vertx vertx, ChatConfig config, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
  }

  static TestChat start(Class<?> testClass) {
    Vertx vertx = Vertx.vertx();
    ChatConfig config = TestEnv.forClass(testClass);
    Pool pool = TestEnv.pool(vertx, config);
    TestChat chat = new TestChat(vertx, config, pool);
    await(Migrator.migrate(pool, config.pg().schema(), "messaging"));
    await(vertx.deployVerticle(new UnreadVerticle(config)));
    return chat;
  }

  @Override
  public void close() {
    try {
      await(pool.close());
      TestEnv.dropSchema(vertx, config);
    } finally {
      await(vertx.close());
    }
  }

  /** A fresh user id, unique in the test class. */
  static String user(String name) {
    return name + "-" + IDS.incrementAndGet();
  }

  /** Creates a thread whose first member is its admin; returns its id. */
  String thread(String... members) {
    String id = UUID.randomUUID().toString();
    for (String m : members) {
      exec("user", Tuple.of(m));
    }
    exec("thread", Tuple.of(UUID.fromString(id), members[0]));
    for (int i = 0; i < members.length; i++) {
      exec("member", Tuple.of(UUID.fromString(id), members[i], i == 0 ? "admin" : "member"));
    }
    return id;
  }

  /** A message as messaging-service sends it: committed, then the unread event. */
  record Sent(String id, long seq) {}

  Sent send(String threadId, String authorId) {
    return await(sendAsync(threadId, authorId));
  }

  Future<Sent> sendAsync(String threadId, String authorId) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(SQL.get("send")).execute(Tuple.of(UUID.fromString(threadId), authorId, id))
        .map(rows -> {
          Row row = rows.iterator().next();
          long seq = row.getLong("seq");
          List<String> members = Arrays.asList(row.getArrayOfStrings("member_ids"));
          vertx.eventBus().send(Addresses.EVENT_MESSAGE_SENT_UNREAD, new JsonObject()
              .put("threadId", threadId)
              .put("authorId", authorId)
              .put("seq", seq)
              .put("messageId", id.toString())
              .put("memberIds", new JsonArray(members)));
          return new Sent(id.toString(), seq);
        });
  }

  /** The member's unread counted from the messages table. */
  long recount(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("recount")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next().getLong("unread");
  }

  Row marker(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("marker")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next();
  }

  boolean isMember(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("member-count")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next().getLong("n") > 0;
  }

  private void exec(String name, Tuple args) {
    await(pool.preparedQuery(SQL.get(name)).execute(args));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
