package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.testing.Await;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * With EMBED_ORIGINS and TOKEN_ENDPOINT set: the listed origins, and only they, may frame the page; the page
 * learns how to sign in from {@code GET /api/config}. (Without them: {@code GatewayApiIT}.)
 */
class EmbedIT {
  private static final String PRODUCT = "https://app.example.com";
  private static final String LOCAL_HOST_PAGE = "http://localhost:8090";
  private static GatewaySystem system;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(EmbedIT.class, env -> {
      env.put("EMBED_ORIGINS", PRODUCT + "," + LOCAL_HOST_PAGE);
      env.put("TOKEN_ENDPOINT", "/auth/chat-token");
      env.put("CORS_ORIGINS", PRODUCT);
      env.put("CHAT_DEV_LOGIN", "false");
    }, null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("With EMBED_ORIGINS every response lets exactly those origins frame it, without X-Frame-Options, and the rest of the CSP stays strict")
  void listedOriginsMayFrameThePage() {
    for (Response r : List.of(system.get(null, "/"), system.get(null, "/app.js"), system.get(null, "/api/threads"),
        system.get(null, "/api/config"), system.get(null, "/no-such-page"))) {
      assertNull(r.headers().get("X-Frame-Options"), r.toString());
      String csp = r.headers().get("Content-Security-Policy");
      assertTrue(csp.endsWith("frame-ancestors " + PRODUCT + " " + LOCAL_HOST_PAGE), csp);
      assertTrue(csp.contains("script-src 'self';") && csp.contains("default-src 'self';")
          && csp.contains("object-src 'none';"), csp);
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
    }
  }

  @Test
  @DisplayName("GET /api/config names the token endpoint and the embedding origins, needs no token and is never cached")
  void pageConfig() {
    Response r = system.get(null, "/api/config");
    assertEquals(200, r.status());
    assertEquals("no-store", r.headers().get("Cache-Control"));
    assertEquals(new JsonObject().put("devLogin", false).put("tokenEndpoint", "/auth/chat-token")
        .put("embedOrigins", new JsonArray().add(PRODUCT).add(LOCAL_HOST_PAGE)), r.json());
    assertEquals(401, system.call(HttpMethod.POST, null, "/api/config", new JsonObject()).status(),
        "only GET is open; any other method is an API call like the rest");
  }

  @Test
  @DisplayName("A listed origin may PATCH (rename) cross-origin: the preflight allows it and the answer carries the CORS headers")
  void listedOriginMayPatch() {
    String alice = GatewaySystem.user("alice");
    String threadId = system.createThread(alice, "Before");
    var preflight = Await.result(system.http.request(HttpMethod.OPTIONS, "/api/threads/" + threadId)
        .putHeader("Origin", PRODUCT).putHeader("Access-Control-Request-Method", "PATCH")
        .putHeader("Access-Control-Request-Headers", "authorization,content-type").send());
    assertTrue(preflight.statusCode() == 200 || preflight.statusCode() == 204, preflight.bodyAsString());
    assertEquals(PRODUCT, preflight.getHeader("Access-Control-Allow-Origin"));
    assertTrue(preflight.getHeader("Access-Control-Allow-Methods").contains("PATCH"));
    assertTrue(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
    var rename = Await.result(system.http.request(HttpMethod.PATCH, "/api/threads/" + threadId)
        .putHeader("Origin", PRODUCT).putHeader("Authorization", "Bearer " + system.token(alice))
        .putHeader("Content-Type", "application/json").sendJsonObject(new JsonObject().put("title", "After")));
    assertEquals(200, rename.statusCode(), rename.bodyAsString());
    assertEquals(PRODUCT, rename.getHeader("Access-Control-Allow-Origin"));
    var stranger = Await.result(system.http.request(HttpMethod.OPTIONS, "/api/threads/" + threadId)
        .putHeader("Origin", LOCAL_HOST_PAGE).putHeader("Access-Control-Request-Method", "PATCH").send());
    assertNull(stranger.getHeader("Access-Control-Allow-Origin"), "an embedding origin is not a CORS origin");
  }
}
