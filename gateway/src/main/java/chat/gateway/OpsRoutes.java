package chat.gateway;

import chat.shared.runtime.ChatMetrics;
import chat.shared.runtime.Readiness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live} (the process answers), {@code /health/ready} (every readiness check registered
 * in this process: the stores of co-deployed services and, when clustered, cluster membership, which
 * {@link chat.shared.runtime.VertxFactory} registers; 200 or 503 with the details) and {@code /metrics}
 * (Prometheus text).
 */
public final class OpsRoutes {
  private final Vertx vertx;

  public OpsRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  public void live(RoutingContext rc) {
    JsonBodies.send(rc, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext rc) {
    Readiness.check(vertx)
        .onSuccess(body -> JsonBodies.send(rc, "UP".equals(body.getString("status")) ? 200 : 503, body))
        .onFailure(rc::fail);
  }

  public void metrics(RoutingContext rc) {
    rc.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(ChatMetrics.scrape());
  }
}
