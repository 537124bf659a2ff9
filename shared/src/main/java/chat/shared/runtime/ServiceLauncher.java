package chat.shared.runtime;

import chat.shared.config.ChatConfig;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service {@code *Main} does: read and validate the config from the environment, join
 * the cluster (or run a local Vert.x with {@code CLUSTER_ENABLED=false}), deploy the service's
 * verticles, serve the operations endpoints on {@code OPS_PORT} (if set), and shut down gracefully on
 * SIGTERM (undeploy, leave the cluster).
 */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  public static void run(String service, Function<ChatConfig, List<Deployable>> verticles) {
    runDeployments(service, config -> verticles.apply(config).stream().map(Deployment::single).toList());
  }

  /** As {@link #run}, with deployments that may have several instances ({@code VERTICLE_INSTANCES}). */
  public static void runDeployments(String service, Function<ChatConfig, List<Deployment>> deployments) {
    ChatConfig config = ChatConfig.fromEnv();
    Future<Vertx> vertxFuture = config.cluster().enabled()
        ? VertxFactory.clustered(config.cluster())
        : Future.succeededFuture(VertxFactory.local());
    vertxFuture
        .compose(vertx -> deployAll(vertx, deployments.apply(config), 0)
            .compose(v -> {
              String opsPort = System.getenv("OPS_PORT");
              return opsPort == null || opsPort.isBlank()
                  ? Future.succeededFuture()
                  : OpsServer.start(vertx, Integer.parseInt(opsPort.trim())).mapEmpty();
            })
            .onSuccess(v -> {
              Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("{} shutting down", service);
                try {
                  vertx.close().await();
                } catch (Exception e) {
                  LOG.warn("Shutdown: {}", e.getMessage());
                }
              }, "shutdown"));
            }))
        .onSuccess(v -> LOG.info("{} started", service))
        .onFailure(err -> {
          LOG.error("{} failed to start", service, err);
          System.exit(1);
        });
  }

  private static Future<Void> deployAll(Vertx vertx, List<Deployment> deployments, int i) {
    if (i == deployments.size()) {
      return Future.succeededFuture();
    }
    return deployments.get(i).deploy(vertx).compose(id -> deployAll(vertx, deployments, i + 1));
  }
}
