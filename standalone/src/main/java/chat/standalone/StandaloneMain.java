package chat.standalone;

import chat.gateway.GatewayVerticle;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.shared.runtime.ChatProcess;
import chat.shared.runtime.Deployment;
import chat.unread.UnreadVerticle;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process, for development: embedded Postgres (data kept in {@code .data/pg})
 * unless {@code DATABASE_URL} or {@code PGHOST} is set, in-memory presence unless {@code REDIS_URL} is
 * set, the local event bus, and dev login on unless {@code CHAT_DEV_LOGIN=false}. It starts and stops
 * as every service process does ({@link ChatProcess}); the embedded Postgres is a resource of that
 * process, started before the config is read and stopped after Vert.x.
 */
public final class StandaloneMain {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMain.class);

  private StandaloneMain() {}

  public static void main(String[] args) {
    ChatConfig config = ChatProcess.named("standalone")
        .before(StandaloneMain::oneProcess)
        .before(StandaloneMain::embeddedDatabase)
        .deploying(StandaloneMain::deployments)
        .run();
    LOG.info("Chat is running: http://localhost:{}/ (dev login {})", config.port(), config.devLogin() ? "on" : "off");
  }

  /**
   * Every service of the system in one Vert.x, messaging first (it owns the migrations the others read).
   * The gateway runs {@code VERTICLE_INSTANCES} instances (they share the state made for it); messaging,
   * unread and presence run once each, as in their own processes.
   */
  public static List<Deployment> deployments(ChatConfig config) {
    return List.of(
        MessagingVerticle.deployment(config),
        UnreadVerticle.deployment(config),
        PresenceVerticle.deployment(config),
        GatewayVerticle.deployment(config));
  }

  /**
   * The local bus whatever {@code CLUSTER_ENABLED} says, no separate ops port, dev login by default,
   * and so, by default, reachable from this machine only: {@code HOST} opens it to others.
   */
  static AutoCloseable oneProcess(Map<String, String> env) {
    env.put("CLUSTER_ENABLED", "false");
    env.remove("OPS_PORT");
    env.putIfAbsent("CHAT_DEV_LOGIN", "true");
    // Attachments beside the embedded database, in the one data directory of the one-process run.
    env.putIfAbsent("ATTACHMENT_DIR", java.nio.file.Path.of(env.getOrDefault("CHAT_DATA_DIR", ".data"), "attachments")
        .toString());
    if (env.get("HOST") == null || env.get("HOST").isBlank()) {
      env.put("HOST", "127.0.0.1");
    }
    return null;
  }

  /** The embedded Postgres, unless a database is configured. */
  private static AutoCloseable embeddedDatabase(Map<String, String> env) {
    if (!blank(env.get("DATABASE_URL")) || !blank(env.get("PGHOST"))) {
      return null;
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(env.getOrDefault("CHAT_DATA_DIR", ".data"));
    env.put("DATABASE_URL", db.url());
    return db;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
