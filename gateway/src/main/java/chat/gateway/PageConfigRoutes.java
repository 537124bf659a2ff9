package chat.gateway;

import chat.shared.config.ChatConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/config} (no authentication): how the page signs in, read once at its start. Embedded in a
 * listed origin's frame it asks the parent window for tokens, else it calls the token endpoint, else it shows
 * dev login. It holds nothing secret: the same facts are in the page's CSP and in what dev login answers.
 */
public final class PageConfigRoutes {
  private final JsonObject body;

  public PageConfigRoutes(ChatConfig config) {
    this.body = new JsonObject()
        .put("devLogin", config.devLogin())
        .put("tokenEndpoint", config.tokenEndpoint())
        .put("embedOrigins", new JsonArray(config.embedOrigins()));
  }

  public void config(RoutingContext rc) {
    JsonBodies.send(rc, 200, body);
  }
}
