package chat.shared.runtime;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * A verticle deployed {@code instances} times (at least once): each instance comes from the supplier
 * and runs on its own event loop. Only verticles whose instances share nothing, or share state made
 * for it, may have more than one. Every process deploys its verticles as a list of these
 * ({@link ChatProcess}), and tests deploy them the same way.
 */
public record Deployment(Supplier<? extends Deployable> verticle, int instances) {

  /** A single instance of {@code verticle}. */
  public static Deployment single(Deployable verticle) {
    return new Deployment(() -> verticle, 1);
  }

  /** Deploys it; the future holds the deployment id. */
  public Future<String> deploy(Vertx vertx) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(Math.max(1, instances)));
  }

  /** Deploys each once the previous one has started (the first may own the migrations the others read). */
  public static Future<Void> inOrder(Vertx vertx, List<Deployment> deployments) {
    Future<Void> chain = Future.succeededFuture();
    for (Deployment deployment : deployments) {
      chain = chain.compose(v -> deployment.deploy(vertx).mapEmpty());
    }
    return chain;
  }
}
