package chat.gateway;

import chat.shared.runtime.ChatMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/** Counts HTTP requests by route pattern (never the raw path) and status: {@code chat_http_requests_total}. */
public final class HttpMetrics implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext rc) {
    rc.addEndHandler(ar -> {
      Route route = rc.currentRoute();
      String pattern = route == null || route.getPath() == null ? "other" : route.getPath();
      if (pattern.startsWith("/eventbus")) {
        pattern = "/eventbus";
      }
      ChatMetrics.registry().counter("chat_http_requests_total",
          "route", pattern, "status", String.valueOf(rc.response().getStatusCode())).increment();
    });
    rc.next();
  }
}
