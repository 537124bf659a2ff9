package chat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Security headers on every response: no MIME sniffing, no referrer, no framing, and a strict
 * Content-Security-Policy (scripts, styles and connections only to this origin, WebSockets included).
 * Cross-origin (CORS) headers survive only for the configured origins; without any configured origin
 * no response carries them (the SockJS transports would otherwise echo any origin).
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
      + "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'";

  private final List<String> corsOrigins;

  public SecurityHeaders(List<String> corsOrigins) {
    this.corsOrigins = corsOrigins;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", CSP);
    rc.addHeadersEndHandler(v -> {
      String origin = rc.request().getHeader("Origin");
      if (origin == null || !corsOrigins.contains(origin)) {
        response.headers()
            .remove("Access-Control-Allow-Origin")
            .remove("Access-Control-Allow-Credentials")
            .remove("Access-Control-Allow-Headers")
            .remove("Access-Control-Allow-Methods");
      }
    });
    rc.next();
  }
}
