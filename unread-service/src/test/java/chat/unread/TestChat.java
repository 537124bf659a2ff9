package chat.unread;

import chat.messaging.MessagingVerticle;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.db.SqlFile;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's world: its own schema, the real MessagingVerticle (which migrates it) and the real
 * UnreadVerticle deployed on one Vert.x; threads are created and messages sent through
 * messaging-service's bus addresses, so badges are pushed from its real post-commit events.
 */
final class TestChat implements AutoCloseable {
  private static final SqlFile SQL = SqlFile.load("chat/unread/fixture.sql");
  private static final AtomicInteger IDS = new AtomicInteger();

  final Vertx vertx;
  final ChatConfig config;
  final Pool pool;
  final Bus bus;

  private TestChat(Vertx vertx, ChatConfig config, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.bus = new Bus(vertx, 10_000);
  }

  static TestChat start(Class<?> testClass) {
    Vertx vertx = Vertx.vertx();
    ChatConfig config = TestEnv.forClass(testClass);
    Pool pool = TestEnv.pool(vertx, config);
    TestChat chat = new TestChat(vertx, config, pool);
    await(vertx.deployVerticle(new MessagingVerticle(config)));
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

  /** Creates a thread as its first member (its admin) with the others; returns its id. */
  String thread(String... members) {
    JsonObject thread = await(bus.request(Addresses.THREAD_CREATE, new JsonObject()
        .put("userId", members[0])
        .put("title", "test")
        .put("memberIds", new JsonArray(List.of(members)))));
    return thread.getString("id");
  }

  /** A sent message. */
  record Sent(String id, long seq) {}

  Sent send(String threadId, String authorId) {
    return await(sendAsync(threadId, authorId));
  }

  /** {@code count} messages by {@code authorId}, one after the other; answers them in order. */
  java.util.List<Sent> send(String threadId, String authorId, int count) {
    java.util.List<Sent> sent = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(send(threadId, authorId));
    }
    return sent;
  }

  Future<Sent> sendAsync(String threadId, String authorId) {
    return bus.request(Addresses.MESSAGE_SEND, new JsonObject()
            .put("userId", authorId)
            .put("threadId", threadId)
            .put("body", "hello"))
        .map(reply -> {
          JsonObject message = reply.getJsonObject("message");
          return new Sent(message.getString("id"), message.getLong("seq"));
        });
  }

  /** The member's unread counted from the messages table. */
  long recount(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("recount")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next().getLong("unread");
  }

  /** A count read straight from the schema; thread ids are given as text. */
  long count(String sql, Object... args) {
    Object[] values = args.clone();
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof String s && s.length() == 36 && s.charAt(8) == '-') {
        values[i] = UUID.fromString(s);
      }
    }
    return await(pool.preparedQuery(sql).execute(Tuple.from(values))).iterator().next().getLong(0);
  }

  Row marker(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("marker")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next();
  }

  boolean isMember(String threadId, String userId) {
    return await(pool.preparedQuery(SQL.get("member-count")).execute(Tuple.of(UUID.fromString(threadId), userId)))
        .iterator().next().getLong("n") > 0;
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
