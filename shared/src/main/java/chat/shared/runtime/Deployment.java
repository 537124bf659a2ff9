package chat.shared.runtime;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A verticle deployed {@code instances} times (at least once): each instance comes from the supplier
 * and runs on its own event loop. Only verticles whose instances share nothing, or share state made
 * for it, may have more than one.
 */
public record Deployment(Supplier<? extends Deployable> verticle, int instances) {

  /** A single instance of {@code verticle}. */
  public static Deployment single(Deployable verticle) {
    return new Deployment(() -> verticle, 1);
  }

  public Future<String> deploy(Vertx vertx) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(Math.max(1, instances)));
  }
}
