package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.testing.BrowserFeed;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real MessagingVerticle deployed in its own Vert.x against the machine's Postgres, in a schema
 * of its own, driven over the event bus exactly as the gateway drives it.
 */
final class MessagingFixture implements AutoCloseable {
  final Vertx vertx;
  final ChatConfig config;
  final Pool db;
  final Bus bus;

  private MessagingFixture(Vertx vertx, ChatConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.db = TestEnv.pool(vertx, config);
    this.bus = new Bus(vertx, 10_000);
  }

  static MessagingFixture start(Class<?> testClass) {
    return start(testClass, env -> {});
  }

  /** As {@link #start(Class)}, with {@code env} changing the test environment first. */
  static MessagingFixture start(Class<?> testClass, java.util.function.Consumer<java.util.Map<String, String>> env) {
    java.util.Map<String, String> map = new java.util.HashMap<>(TestEnv.env(TestEnv.isolationName(testClass)));
    env.accept(map);
    Vertx vertx = Vertx.vertx();
    MessagingFixture f = new MessagingFixture(vertx, ChatConfig.from(map));
    vertx.deployVerticle(new MessagingVerticle(f.config)).await();
    return f;
  }

  Future<JsonObject> request(String address, JsonObject body) {
    return bus.request(address, body);
  }

  JsonObject call(String address, JsonObject body) {
    return bus.request(address, body).await();
  }

  ErrorCode failure(String address, JsonObject body) {
    ChatException e = assertThrows(ChatException.class, () -> bus.request(address, body).await());
    return e.code();
  }

  JsonObject createThread(String creator, String title, String... members) {
    return call(Addresses.THREAD_CREATE, new JsonObject()
        .put("userId", creator).put("title", title).put("memberIds", new JsonArray(List.of(members))));
  }

  static JsonObject sendRequest(String user, String threadId, String body) {
    return new JsonObject().put("userId", user).put("threadId", threadId).put("body", body);
  }

  JsonObject send(String user, String threadId, String body) {
    return call(Addresses.MESSAGE_SEND, sendRequest(user, threadId, body)).getJsonObject("message");
  }

  Row row(String sql, Object... args) {
    var rows = db.preparedQuery(sql).execute(Tuple.from(args)).await();
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  long count(String sql, Object... args) {
    return row(sql, args).getLong(0);
  }

  /** Everything delivered on {@code address} from now on (a browser address under any BUS_ROUTING). */
  Inbox listen(String address) {
    Inbox inbox = new Inbox();
    BrowserFeed.open(vertx, address, inbox::add);
    return inbox;
  }

  @Override
  public void close() {
    try {
      db.close().await();
      TestEnv.dropSchema(vertx, config);
    } finally {
      vertx.close().await();
    }
  }

  /** Bodies received on one address; waits with a timeout, never a bare sleep. */
  static final class Inbox {
    private final List<Object> bodies = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<JsonObject> match, CompletableFuture<JsonObject> result) {}

    private void add(Object body) {
      bodies.add(body);
      for (Waiter w : waiters) {
        offer(w, body);
      }
    }

    JsonObject await(Predicate<JsonObject> match) {
      CompletableFuture<JsonObject> result = new CompletableFuture<>();
      Waiter w = new Waiter(match, result);
      waiters.add(w);
      for (Object b : bodies) {
        offer(w, b);
      }
      try {
        return result.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("Nothing matching arrived within 10 s; received " + bodies, e);
      } finally {
        waiters.remove(w);
      }
    }

    private static void offer(Waiter w, Object body) {
      try {
        if (body instanceof JsonObject j && w.match().test(j)) {
          w.result().complete(j);
        }
      } catch (RuntimeException notThisOne) {
        // a body of another shape does not match
      }
    }

    List<JsonObject> all() {
      List<JsonObject> out = new ArrayList<>();
      bodies.forEach(b -> out.add((JsonObject) b));
      return out;
    }
  }
}
