package chat.gateway;

import chat.shared.bus.Addresses;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells presence every {@code HEARTBEAT_SECONDS} that this gateway is alive, so the presence of its
 * connections stays fresh; when the gateway dies the heartbeats stop and its entries expire.
 */
public final class PresenceHeartbeat {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceHeartbeat.class);

  private final Vertx vertx;
  private final TimedBus bus;
  private final long periodMs;
  private long timerId = -1;

  public PresenceHeartbeat(Vertx vertx, TimedBus bus, int heartbeatSeconds) {
    this.vertx = vertx;
    this.bus = bus;
    this.periodMs = Math.max(1, heartbeatSeconds) * 1000L;
  }

  public void start() {
    beat();
    timerId = vertx.setPeriodic(periodMs, id -> beat());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void beat() {
    bus.request(Addresses.PRESENCE_HEARTBEAT, new JsonObject().put("gatewayId", ClusterNode.nodeId(vertx)))
        .onFailure(t -> LOG.debug("Presence heartbeat failed: {}", t.getMessage()));
  }
}
