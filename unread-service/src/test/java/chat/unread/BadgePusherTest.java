package chat.unread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.protocol.Unread.Badge;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.BrowserFeed;
import chat.shared.model.Receipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BadgePusherTest {
  private final String thread = UUID.randomUUID().toString();
  private Vertx vertx;
  private CountingStore store;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new CountingStore();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Every member but the author gets one update per flush window, however many messages arrived in it")
  void coalescesAWindow() throws Exception {
    LinkedBlockingQueue<JsonObject> bob = listen("bob");
    LinkedBlockingQueue<JsonObject> alice = listen("alice");
    BadgePusher pusher = new BadgePusher(vertx, new BrowserEvents(vertx, BusRouting.NODE), store, 200, 50_000, 10_000);
    onLoop(() -> {
      for (int i = 0; i < 30; i++) {
        pusher.messageSent(thread, "alice", List.of("alice", "bob", "carol"));
      }
    });
    JsonObject update = bob.poll(10, TimeUnit.SECONDS);
    assertEquals(thread, update.getString("threadId"));
    assertEquals(List.of(2), store.batchSizes, "one query for bob and carol together");
    assertEquals(List.of(), List.copyOf(alice), "the author gets no update for their own message");
  }

  @Test
  @DisplayName("A dirty set that reaches its bound is flushed at once, in chunks, without waiting for the window")
  void boundedDirtySetFlushesInChunks() throws Exception {
    BadgePusher pusher = new BadgePusher(vertx, new BrowserEvents(vertx, BusRouting.NODE), store, 60_000, 5, 2);
    CompletableFuture<Void> drained = new CompletableFuture<>();
    onLoop(() -> {
      for (int i = 0; i < 5; i++) {
        pusher.messageSent(thread, "author", List.of("author", "user-" + i));
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.pairs() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of(2, 2, 1), store.batchSizes, "chunks of at most 2, long before the 60 s window");
    onLoop(() -> pusher.drain().onComplete(ar -> drained.complete(null)));
    drained.get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("When the store is down, the pending updates are kept and sent once it answers again")
  void retriesAfterAFailure() throws Exception {
    LinkedBlockingQueue<JsonObject> bob = listen("bob");
    store.failuresLeft = 1;
    BadgePusher pusher = new BadgePusher(vertx, new BrowserEvents(vertx, BusRouting.NODE), store, 10, 50_000, 10_000);
    onLoop(() -> pusher.messageSent(thread, "alice", List.of("alice", "bob")));
    JsonObject update = bob.poll(10, TimeUnit.SECONDS);
    assertEquals(thread, update.getString("threadId"));
    assertTrue(store.batchSizes.size() >= 2, "the failed flush was retried");
  }

  private LinkedBlockingQueue<JsonObject> listen(String userId) throws Exception {
    LinkedBlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    BrowserFeed.open(vertx, Addresses.user(userId), queue::add);
    return queue;
  }

  private void onLoop(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      action.run();
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  /** Answers unread 1 for every pair and records the size of every batch it was asked. */
  private static final class CountingStore implements UnreadStore {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    volatile int failuresLeft;

    int pairs() {
      return batchSizes.stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public Future<List<PairUnread>> unreadFor(Collection<UserThread> pairs) {
      batchSizes.add(pairs.size());
      if (failuresLeft > 0) {
        failuresLeft--;
        return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE));
      }
      List<PairUnread> result = new ArrayList<>();
      pairs.forEach(p -> result.add(new PairUnread(p.userId(), p.threadId(), 1, 1)));
      return Future.succeededFuture(result);
    }

    @Override
    public Future<ReadResult> markRead(String userId, String threadId, UUID lastReadMessageId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Badge> badge(String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Receipt>> receipts(String userId, String threadId) {
      throw new UnsupportedOperationException();
    }
  }
}
