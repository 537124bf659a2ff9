package chat.standalone;

import chat.gateway.GatewayVerticle;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.unread.UnreadVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Deploys every service of the system into one Vert.x: messaging first (it owns the migrations). */
public final class SystemDeployer {
  private SystemDeployer() {}

  public static Future<Void> deployAll(Vertx vertx, ChatConfig config) {
    return vertx.deployVerticle(new MessagingVerticle(config))
        .compose(id -> vertx.deployVerticle(new UnreadVerticle(config)))
        .compose(id -> vertx.deployVerticle(new PresenceVerticle(config)))
        .compose(id -> vertx.deployVerticle(new GatewayVerticle(config)))
        .mapEmpty();
  }
}
