package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UserDirectoryTest {
  /** A verticle per event loop; each remembers its context. */
  private static final class Loop extends VerticleBase {
    static final List<Context> CONTEXTS = new CopyOnWriteArrayList<>();

    @Override
    public Future<?> start() {
      CONTEXTS.add(context);
      return Future.succeededFuture();
    }
  }

  private static Thread threadOf(Context context) throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    return thread.get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A request waiting for another event loop's user upsert continues on its own event loop, after one upsert")
  void continuesOnCallersLoop() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger upserts = new AtomicInteger();
      vertx.eventBus().<JsonObject>consumer(Addresses.USER_UPSERT, msg -> {
        upserts.incrementAndGet();
        vertx.setTimer(200, id -> msg.reply(new JsonObject()));
      }).completion().await(10, TimeUnit.SECONDS);
      vertx.deployVerticle(Loop::new, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
      Context a = Loop.CONTEXTS.get(0);
      Context b = Loop.CONTEXTS.get(1);
      assertNotSame(a, b);
      UserDirectory users = new UserDirectory(vertx, new TimedBus(vertx, 5000));
      AuthUser alice = new AuthUser("alice", "Alice");
      Thread loopA = threadOf(a);
      Thread loopB = threadOf(b);
      assertNotSame(loopA, loopB);
      CompletableFuture<Thread> first = new CompletableFuture<>();
      CompletableFuture<Thread> second = new CompletableFuture<>();
      a.runOnContext(v -> users.ensure(alice).onSuccess(x -> first.complete(Thread.currentThread())));
      b.runOnContext(v -> vertx.setTimer(50, id ->
          users.ensure(alice).onSuccess(x -> second.complete(Thread.currentThread()))));
      assertSame(loopA, first.get(10, TimeUnit.SECONDS));
      assertSame(loopB, second.get(10, TimeUnit.SECONDS));
      assertEquals(1, upserts.get());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("The remembered users stay bounded however many users arrive, and a failed upsert is tried again")
  void boundedAndRetried() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger upserts = new AtomicInteger();
      vertx.eventBus().<JsonObject>consumer(Addresses.USER_UPSERT, msg -> {
        if (upserts.incrementAndGet() == 1) {
          msg.fail(503, "unavailable");
        } else {
          msg.reply(new JsonObject());
        }
      }).completion().await(10, TimeUnit.SECONDS);
      UserDirectory users = new UserDirectory(vertx, new TimedBus(vertx, 5000), 100);
      AuthUser alice = new AuthUser("alice", "Alice");
      assertTrue(users.ensure(alice).toCompletionStage().toCompletableFuture()
          .handle((ok, err) -> err != null).get(10, TimeUnit.SECONDS), "the first upsert fails");
      users.ensure(alice).await(10, TimeUnit.SECONDS);
      users.ensure(alice).await(10, TimeUnit.SECONDS);
      assertEquals(2, upserts.get(), "tried again after the failure, then remembered");
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        all.add(users.ensure(new AuthUser("user" + i, "User")));
      }
      Future.all(all).await(60, TimeUnit.SECONDS);
      assertTrue(users.remembered() <= 100, "users remembered: " + users.remembered());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
