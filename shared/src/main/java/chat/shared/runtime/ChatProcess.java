package chat.shared.runtime;

import chat.shared.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composition root of every process, each service's {@code *Main} and the one-process run
 * alike: open the {@linkplain Resource resources} the config depends on (the standalone's embedded
 * Postgres), read the config from the environment, create Vert.x (joined to the cluster unless
 * {@code CLUSTER_ENABLED=false}), deploy the process's {@link Deployment}s in order, serve the operations
 * endpoints on {@code OPS_PORT} when it is set, and log "{@code <name> started}". {@link #run} adds the
 * process's single shutdown hook (close Vert.x, which undeploys and leaves the cluster, then the
 * resources, newest first) and exits with status 1 when the start fails.
 */
public final class ChatProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ChatProcess.class);

  /** Something the process needs before its config is final; it is closed after Vert.x. */
  @FunctionalInterface
  public interface Resource {
    /** Opens it; may add settings to {@code env}, which is read only afterwards. Returns what to close, or null. */
    AutoCloseable open(Map<String, String> env) throws Exception;
  }

  private final String name;
  private final Map<String, String> env;
  private final List<Resource> resources = new ArrayList<>();
  private Function<ChatConfig, List<Deployment>> deployments = config -> List.of();
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private volatile Vertx vertx;
  private boolean started;

  private ChatProcess(String name, Map<String, String> env) {
    this.name = name;
    this.env = new HashMap<>(env);
  }

  /** A process configured from the environment variables. */
  public static ChatProcess named(String name) {
    return named(name, System.getenv());
  }

  /** A process configured from {@code env} instead of the environment (the map is copied). */
  public static ChatProcess named(String name, Map<String, String> env) {
    return new ChatProcess(name, env);
  }

  /** Adds a resource, opened before the config is read, in the order added. */
  public ChatProcess before(Resource resource) {
    resources.add(resource);
    return this;
  }

  /** What the process deploys, in this order, each deployed once the previous one has started. */
  public ChatProcess deploying(Function<ChatConfig, List<Deployment>> deployments) {
    this.deployments = deployments;
    return this;
  }

  /**
   * The whole process: installs the shutdown hook, starts, and returns the final config once every
   * deployment runs. A failed start is logged and ends the JVM with status 1 (the hook still closes what
   * was opened).
   */
  public ChatConfig run() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shutdown"));
    try {
      return start().await();
    } catch (Throwable e) {
      LOG.error("{} failed to start", name, e);
      System.exit(1);
      throw new IllegalStateException("unreachable", e);
    }
  }

  /** Starts the process without a shutdown hook; {@link #stop} undoes it. Called once. */
  public synchronized Future<ChatConfig> start() {
    if (started) {
      throw new IllegalStateException(name + " already started");
    }
    started = true;
    ChatConfig config;
    try {
      for (Resource resource : resources) {
        AutoCloseable closeable = resource.open(env);
        if (closeable != null) {
          opened.push(closeable);
        }
      }
      config = ChatConfig.from(env);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    Future<Vertx> created = config.cluster().enabled()
        ? VertxFactory.clustered(config.cluster())
        : Future.succeededFuture(VertxFactory.local());
    return created
        .compose(v -> {
          vertx = v;
          return Deployment.inOrder(v, deployments.apply(config));
        })
        .compose(v -> config.hasOpsPort()
            ? OpsServer.start(vertx, config.opsPort()).mapEmpty()
            : Future.succeededFuture())
        .map(v -> {
          LOG.info("{} started", name);
          return config;
        });
  }

  /** The process's Vert.x, once created (null before). */
  public Vertx vertx() {
    return vertx;
  }

  /** Closes Vert.x (undeploying everything, leaving the cluster), then the resources, newest first. */
  public void stop() {
    LOG.info("{} shutting down", name);
    Vertx v = vertx;
    if (v != null) {
      try {
        v.close().await();
      } catch (Exception e) {
        LOG.warn("Shutdown: {}", e.getMessage());
      }
    }
    AutoCloseable next;
    while ((next = pollOpened()) != null) {
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("Shutdown: {}", e.getMessage());
      }
    }
  }

  private synchronized AutoCloseable pollOpened() {
    return opened.poll();
  }
}
