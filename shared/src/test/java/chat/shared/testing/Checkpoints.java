package chat.shared.testing;

import io.vertx.junit5.VertxTestContext;
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

  public static void await(VertxTestContext ctx) {
    boolean done;
    try {
      done = ctx.awaitCompletion(Await.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (ctx.failed()) {
      Throwable cause = ctx.causeOfFailure();
      throw cause instanceof AssertionError ae ? ae : new AssertionError(cause);
    }
    if (!done) {
      throw new AssertionError("Not reached within " + Await.TIMEOUT_SECONDS + " s: "
          + ctx.unsatisfiedCheckpointCallSites().stream()
              .sorted(Comparator.comparingInt(StackTraceElement::getLineNumber))
              .map(site -> "checkpoint at " + site)
              .collect(Collectors.joining(", ")));
    }
  }
}
