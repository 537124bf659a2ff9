package chat.gateway;

import chat.shared.protocol.Presence;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells presence every {@code HEARTBEAT_SECONDS} that this gateway is alive, so the presence of its
 * connections stays fresh; when the gateway dies the heartbeats stop and its entries expire. When
 * presence answers {@code known:false} (it lost this gateway's entries: expired during a pause, removed,
 * or Redis restarted empty) every live connection re-joins the threads it had joined; joins are
 * idempotent, so nothing is announced twice.
 */
public final class PresenceHeartbeat {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceHeartbeat.class);

  private final Vertx vertx;
  private final TimedBus bus;
  private final Connections connections;
  private final long periodMs;
  private long timerId = -1;

  public PresenceHeartbeat(Vertx vertx, TimedBus bus, Connections connections, int heartbeatSeconds) {
    this.vertx = vertx;
    this.bus = bus;
    this.connections = connections;
    this.periodMs = Math.max(1, heartbeatSeconds) * 1000L;
  }

  public void start() {
    beat();
    timerId = vertx.setPeriodic(periodMs, id -> beat());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  public boolean running() {
    return timerId >= 0;
  }

  private void beat() {
    String gatewayId = ClusterNode.nodeId(vertx);
    bus.request(Presence.HEARTBEAT, new Presence.Heartbeat(gatewayId))
        .onSuccess(reply -> {
          if (!reply.known()) {
            rejoinAll(gatewayId);
          }
        })
        .onFailure(t -> LOG.debug("Presence heartbeat failed: {}", t.getMessage()));
  }

  private void rejoinAll(String gatewayId) {
    for (Connection c : connections.all()) {
      for (String threadId : c.joinedThreads()) {
        bus.request(Presence.JOIN, new Presence.Join(c.userId(), threadId, c.connectionId(), gatewayId))
            .onFailure(t -> LOG.debug("Presence re-join failed: {}", t.getMessage()));
      }
    }
  }
}
