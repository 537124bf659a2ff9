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
    ChatConfig config = ChatConfig.fromEnv();
    Future<Vertx> vertxFuture = config.cluster().enabled()
        ? VertxFactory.clustered(config.cluster())
        : Future.succeededFuture(VertxFactory.local());
    vertxFuture
        .compose(vertx -> deployAll(vertx, verticles.apply(config), 0)
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

  private static Future<Void> deployAll(Vertx vertx, List<Deployable> verticles, int i) {
    if (i == verticles.size()) {
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(verticles.get(i)).compose(id -> deployAll(vertx, verticles, i + 1));
  }
}
