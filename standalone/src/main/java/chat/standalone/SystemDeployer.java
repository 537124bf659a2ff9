package chat.standalone;

import chat.gateway.GatewayVerticle;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.unread.UnreadVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deploys every service of the system into one Vert.x: messaging first (it owns the migrations). The
 * gateway runs {@code VERTICLE_INSTANCES} instances (they share the state made for it); messaging runs
 * once, as the process's single batching point for sends; unread and presence keep per-process state and
 * run once.
 */
public final class SystemDeployer {
  private SystemDeployer() {}

  public static Future<Void> deployAll(Vertx vertx, ChatConfig config) {
    return MessagingVerticle.deployment(config).deploy(vertx)
        .compose(id -> vertx.deployVerticle(new UnreadVerticle(config)))
        .compose(id -> vertx.deployVerticle(new PresenceVerticle(config)))
        .compose(id -> GatewayVerticle.deploy(vertx, config, config.verticleInstances()))
        .mapEmpty();
  }
}
