package chat.standalone;

import chat.shared.config.ChatConfig;
import chat.shared.runtime.VertxFactory;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process, for development: embedded Postgres (data kept in {@code .data/pg})
 * unless {@code DATABASE_URL} or {@code PGHOST} is set, in-memory presence unless {@code REDIS_URL} is
 * set, the local event bus, and dev login on unless {@code CHAT_DEV_LOGIN=false}.
 */
public final class StandaloneMain {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMain.class);

  private StandaloneMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("CHAT_DEV_LOGIN", "true");
    EmbeddedDatabase db = null;
    if (blank(env.get("DATABASE_URL")) && blank(env.get("PGHOST"))) {
      db = EmbeddedDatabase.start(env.getOrDefault("CHAT_DATA_DIR", ".data"));
      env.put("DATABASE_URL", db.url());
    }
    ChatConfig config = ChatConfig.from(env);
    Vertx vertx = VertxFactory.local();
    EmbeddedDatabase embedded = db;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await();
      } catch (Exception e) {
        LOG.warn("Shutdown: {}", e.getMessage());
      }
      if (embedded != null) {
        embedded.close();
      }
    }, "shutdown"));
    try {
      SystemDeployer.deployAll(vertx, config).await();
    } catch (Exception e) {
      LOG.error("Failed to start", e);
      System.exit(1);
    }
    LOG.info("Chat is running: http://localhost:{}/ (dev login {})", config.port(), config.devLogin() ? "on" : "off");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
