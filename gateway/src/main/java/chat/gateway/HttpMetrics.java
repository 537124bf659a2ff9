package chat.gateway;

import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts HTTP requests by route pattern (never the raw path) and status: {@code chat_http_requests_total}.
 * The counters are looked up once per (pattern, status), not per request.
 */
public final class HttpMetrics implements Handler<RoutingContext> {
  private static final int MAX_STATUS = 600;

  private final Map<String, Counter[]> byPattern = new ConcurrentHashMap<>();

  @Override
  public void handle(RoutingContext rc) {
    rc.addEndHandler(ar -> {
      Route route = rc.currentRoute();
      String pattern = route == null || route.getPath() == null ? "other" : route.getPath();
      if (pattern.startsWith("/eventbus")) {
        pattern = "/eventbus";
      }
      counter(pattern, rc.response().getStatusCode()).increment();
    });
    rc.next();
  }

  private Counter counter(String pattern, int status) {
    Counter[] byStatus = byPattern.computeIfAbsent(pattern, p -> new Counter[MAX_STATUS]);
    if (status < 0 || status >= MAX_STATUS) {
      return lookup(pattern, status);
    }
    Counter c = byStatus[status];
    if (c == null) {
      c = lookup(pattern, status);
      byStatus[status] = c;
    }
    return c;
  }

  private static Counter lookup(String pattern, int status) {
    return ChatMetrics.registry().counter("chat_http_requests_total", "route", pattern, "status", String.valueOf(status));
  }
}
