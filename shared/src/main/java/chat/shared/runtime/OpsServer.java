package chat.shared.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The operations endpoints of a process on {@code OPS_PORT}: {@code GET /health/live},
 * {@code GET /health/ready} and {@code GET /metrics} (Prometheus text). A gateway without
 * {@code OPS_PORT} serves the same three paths on its API port instead.
 */
public final class OpsServer {
  private OpsServer() {}

  public static Future<HttpServer> start(Vertx vertx, int port) {
    return vertx.createHttpServer().requestHandler(req -> handle(vertx, req)).listen(port);
  }

  private static void handle(Vertx vertx, HttpServerRequest req) {
    switch (req.path()) {
      case "/health/live" -> req.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", "UP").encode());
      case "/health/ready" -> Readiness.check(vertx).onComplete(ar -> {
        JsonObject body = ar.result();
        req.response().setStatusCode("UP".equals(body.getString("status")) ? 200 : 503)
            .putHeader("content-type", "application/json").end(body.encode());
      });
      case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(ChatMetrics.scrape());
      default -> req.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "not_found").put("message", "No such resource").encode());
    }
  }
}
