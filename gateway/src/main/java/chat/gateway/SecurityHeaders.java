package chat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Security headers on every response: no MIME sniffing, no referrer, and a strict Content-Security-Policy
 * (scripts, styles and connections only to this origin, WebSockets included). No site may frame the page,
 * unless {@code EMBED_ORIGINS} lists it: then {@code frame-ancestors} names exactly those origins and
 * {@code X-Frame-Options} (which cannot name several) is left out.
 * Cross-origin (CORS) headers survive only for the configured origins; without any configured origin
 * no response carries them (the SockJS transports would otherwise echo any origin).
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
      + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors ";

  private final List<String> corsOrigins;
  private final boolean embeddable;
  private final String csp;

  /** {@code embedOrigins} are validated origins ({@code ChatConfig} refuses anything else). */
  public SecurityHeaders(List<String> corsOrigins, List<String> embedOrigins) {
    this.corsOrigins = corsOrigins;
    this.embeddable = !embedOrigins.isEmpty();
    this.csp = CSP + (embeddable ? String.join(" ", embedOrigins) : "'none'");
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", csp);
    if (!embeddable) {
      response.putHeader("X-Frame-Options", "DENY");
    }
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
