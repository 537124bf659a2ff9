package chat.shared.testing;

import io.vertx.core.Future;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Waits, inside a test method run by {@code VertxExtension}, until every checkpoint of its
 * {@link VertxTestContext} is flagged, so the test's resources (bridge clients, consumers) are closed only
 * afterwards. A checkpoint not reached within {@link Await#TIMEOUT_SECONDS} fails the test at once, naming
 * the line that created it (the event that never came) rather than a bare timeout.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** A check of an awaited value; what it throws fails the test context. */
  @FunctionalInterface
  public interface Check<T> {
    void accept(T value) throws Throwable;
  }

  /** When {@code event} arrives, runs {@code check} on it and flags {@code reached}; a failed check fails {@code ctx}. */
  public static <T> Future<T> flagOn(VertxTestContext ctx, Checkpoint reached, Future<T> event, Check<T> check) {
    return event.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      check.accept(value);
      reached.flag();
    })));
  }

  public static void await(VertxTestContext ctx) {
    await(ctx, Duration.ofSeconds(Await.TIMEOUT_SECONDS));
  }

  /** As {@link #await(VertxTestContext)}, with a bound of the test's own (when the bound is part of what it tests). */
  public static void await(VertxTestContext ctx, Duration bound) {
    boolean done;
    try {
      done = ctx.awaitCompletion(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (ctx.failed()) {
      Throwable cause = ctx.causeOfFailure();
      throw cause instanceof AssertionError ae ? ae : new AssertionError(cause);
    }
    if (!done) {
      throw new AssertionError("Not reached within " + bound + ": "
          + ctx.unsatisfiedCheckpointCallSites().stream()
              .sorted(Comparator.comparingInt(StackTraceElement::getLineNumber))
              .map(site -> "checkpoint at " + site)
              .collect(Collectors.joining(", ")));
    }
  }
}
