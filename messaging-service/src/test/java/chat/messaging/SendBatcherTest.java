package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendBatcherTest {
  /** An executor whose batches stay open until the test finishes them. */
  private static final class Held {
    final List<List<SendBatcher.Item<String, String>>> batches = new ArrayList<>();
    final List<Promise<Void>> done = new ArrayList<>();

    Future<?> run(List<SendBatcher.Item<String, String>> batch) {
      batches.add(batch);
      Promise<Void> p = Promise.promise();
      done.add(p);
      return p.future();
    }

    /** Answers every item of batch {@code i} with its value upper-cased, then ends the batch. */
    void finish(int i) {
      batches.get(i).forEach(item -> item.promise().complete(item.value().toUpperCase()));
      done.get(i).complete();
    }

    List<String> values(int i) {
      return batches.get(i).stream().map(SendBatcher.Item::value).toList();
    }
  }

  @Test
  @DisplayName("A lone item leaves at once; items arriving while the slots are busy leave together as the next batch")
  void batchesFormWhileBusy() {
    Held held = new Held();
    SendBatcher<String, String> b = new SendBatcher<>(10, 1, v -> null, held::run);
    Future<String> first = b.submit("a");
    assertEquals(List.of("a"), held.values(0));
    Future<String> second = b.submit("b");
    Future<String> third = b.submit("c");
    assertEquals(1, held.batches.size(), "nothing else leaves while the only slot is busy");
    held.finish(0);
    assertEquals("A", first.result());
    assertEquals(List.of("b", "c"), held.values(1));
    held.finish(1);
    assertEquals("B", second.result());
    assertEquals("C", third.result());
  }

  @Test
  @DisplayName("Batches never exceed the maximum size, and several run at once up to the slot count")
  void sizeAndSlotsBounded() {
    Held held = new Held();
    SendBatcher<String, String> b = new SendBatcher<>(2, 2, v -> null, held::run);
    List<Future<String>> all = new ArrayList<>();
    for (String v : List.of("a", "b", "c", "d", "e", "f")) {
      all.add(b.submit(v));
    }
    assertEquals(List.of(List.of("a"), List.of("b")), List.of(held.values(0), held.values(1)));
    held.finish(0);
    assertEquals(List.of("c", "d"), held.values(2));
    held.finish(1);
    assertEquals(List.of("e", "f"), held.values(3));
    held.finish(2);
    held.finish(3);
    assertEquals(List.of("A", "B", "C", "D", "E", "F"), all.stream().map(Future::result).toList());
  }

  @Test
  @DisplayName("Two items with the same key never share a batch; the later one leaves with the next")
  void equalKeysSeparated() {
    Held held = new Held();
    SendBatcher<String, String> b = new SendBatcher<>(10, 1, v -> v.startsWith("k") ? "k" : null, held::run);
    b.submit("x");
    b.submit("k1");
    b.submit("y");
    b.submit("k2");
    held.finish(0);
    assertEquals(List.of("k1", "y"), held.values(1));
    held.finish(1);
    assertEquals(List.of("k2"), held.values(2));
  }

  @Test
  @DisplayName("Items a batch leaves unanswered fail, an executor that throws fails its items, and the batcher goes on")
  void failuresNeverStrandItems() {
    List<Integer> calls = new ArrayList<>();
    SendBatcher<String, String> b = new SendBatcher<>(10, 1, v -> null, batch -> {
      calls.add(batch.size());
      if (batch.get(0).value().equals("throw")) {
        throw new IllegalStateException("boom");
      }
      return Future.succeededFuture();
    });
    Future<String> thrown = b.submit("throw");
    Future<String> unanswered = b.submit("quiet");
    assertTrue(thrown.failed());
    assertEquals("boom", thrown.cause().getMessage());
    assertTrue(unanswered.failed(), "an item the executor never answered is failed, not left hanging");
    assertEquals(List.of(1, 1), calls);
  }

  @Test
  @DisplayName("An item whose deadline passes while it waits is never started: it fails unavailable, at the sweep or when the next batch is taken")
  void expiredItemsNeverStart() {
    Held held = new Held();
    long now = System.currentTimeMillis();
    // values are "name:deadline"
    SendBatcher<String, String> b = new SendBatcher<>(10, 1, 100, v -> Long.parseLong(v.split(":")[1]), v -> null, held::run);
    Future<String> running = b.submit("a:" + (now + 60_000));
    Future<String> late = b.submit("b:" + (now - 1));
    Future<String> lateToo = b.submit("c:" + (now - 1));
    Future<String> inTime = b.submit("d:" + (now + 60_000));
    b.expire();
    assertTrue(late.failed() && ((chat.shared.ChatException) late.cause()).code() == chat.shared.ErrorCode.UNAVAILABLE,
        "failed unavailable at the sweep");
    assertTrue(lateToo.failed());
    held.finish(0);
    assertEquals("A:" + (now + 60_000), running.result());
    assertEquals(List.of("d:" + (now + 60_000)), held.values(1), "only the send still in time started");
    assertTrue(!inTime.isComplete());
  }

  @Test
  @DisplayName("Beyond the queue bound a submit fails unavailable at once, and nothing of it starts")
  void queueIsBounded() {
    Held held = new Held();
    SendBatcher<String, String> b = new SendBatcher<>(10, 1, 2, v -> Long.MAX_VALUE, v -> null, held::run);
    b.submit("running");
    b.submit("w1");
    b.submit("w2");
    Future<String> refused = b.submit("w3");
    assertTrue(refused.failed() && ((chat.shared.ChatException) refused.cause()).code() == chat.shared.ErrorCode.UNAVAILABLE);
    held.finish(0);
    assertEquals(List.of("w1", "w2"), held.values(1));
  }
}
