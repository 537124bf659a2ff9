package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.OneRequest;
import chat.shared.testing.OneRequest.Answer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With CORS_ORIGINS set, a listed origin's preflight is allowed every method the contract's API uses. */
class CorsIT {
  private static final String ORIGIN = "https://app.example";
  private static GatewaySystem system;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(CorsIT.class, env -> env.put("CORS_ORIGINS", ORIGIN), null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A listed origin's preflight allows GET, POST, PUT (mute), PATCH and DELETE with Authorization and Content-Type")
  void preflightAllowsEveryMethodOfTheApi() {
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      RequestOptions preflight = new RequestOptions().setMethod(HttpMethod.OPTIONS).setHost("127.0.0.1")
          .setPort(system.port).setURI("/api/threads/00000000-0000-0000-0000-000000000000/mute")
          .putHeader("Origin", ORIGIN)
          .putHeader("Access-Control-Request-Method", method)
          .putHeader("Access-Control-Request-Headers", "authorization,content-type");
      Answer a = OneRequest.send(system.vertx, preflight, null);
      assertTrue(a.status() == 200 || a.status() == 204, method + " -> " + a);
      assertEquals(ORIGIN, a.headers().get("Access-Control-Allow-Origin"), method + " -> " + a);
      assertTrue(a.headers().get("Access-Control-Allow-Methods").contains(method), method + " -> " + a);
    }
  }

  @Test
  @DisplayName("A listed origin may open the bridge: SockJS's info request (an XHR with credentials) is allowed for it, credentials included")
  void sockJsInfoAllowsTheOriginWithCredentials() {
    RequestOptions info = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(system.port)
        .setURI("/eventbus/info?access_token=" + system.token(GatewaySystem.user("cors")))
        .putHeader("Origin", ORIGIN);
    Answer a = OneRequest.send(system.vertx, info, null);
    assertEquals(200, a.status(), a.toString());
    assertEquals(ORIGIN, a.headers().get("Access-Control-Allow-Origin"), a.toString());
    assertEquals("true", a.headers().get("Access-Control-Allow-Credentials"), a.toString());
  }
}
