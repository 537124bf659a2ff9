package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.TestEnv;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NoTokenInLogsIT {
  @Test
  @DisplayName("Tokens never reach the logs: not from refused, expired or valid requests nor from bridge URLs")
  void tokensAreNeverLogged() {
    String valid = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("alice"));
    String forged = TestTokens.hs256("not-the-secret-not-the-secret-not-the-secret", TestTokens.claims("mallory"));
    String expired = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("bob").put("exp", 1_000_000L));
    String log = ErrorBodiesIT.capturingStderr(() -> {
      try (GatewaySystem system = GatewaySystem.start(NoTokenInLogsIT.class)) {
        for (String token : new String[] {valid, forged, expired}) {
          system.get(token, "/api/threads");
          system.post(token, "/api/threads/not-a-uuid/messages", new JsonObject().put("body", "x"));
          system.post(token, "/api/threads", "{ broken json");
          system.call(io.vertx.core.http.HttpMethod.GET, null, "/eventbus/info?access_token=" + token, null);
          system.call(io.vertx.core.http.HttpMethod.GET, null, "/api/threads?access_token=" + token, null);
        }
        assertEquals(401, system.get(forged, "/api/threads").status());
      }
    });
    assertTrue(log.contains("Applying migration"), "the log is captured (the system's own start-up lines are in it)");
    for (String token : new String[] {valid, forged, expired}) {
      String signature = token.substring(token.lastIndexOf('.') + 1);
      assertFalse(log.contains(signature), "a token's signature appears in the log:\n" + log);
      assertFalse(log.contains(token.substring(0, token.lastIndexOf('.'))), "a token appears in the log");
    }
  }
}
