package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.Await;
import chat.gateway.GatewaySystem.Response;
import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Token checks: an HS256 gateway with issuer and audience configured and dev login off, and a second
 * gateway verifying RS256 tokens with a PEM public key generated here (JWT_PUBLIC_KEY).
 */
class GatewayAuthIT {
  private static final String ISSUER = "https://id.example";
  private static final String AUDIENCE = "chat";
  private static GatewaySystem system;
  private static KeyPair rsa;
  private static int rsaPort;
  private static Path pemFile;

  @BeforeAll
  static void start() throws Exception {
    system = GatewaySystem.start(GatewayAuthIT.class, env -> {
      env.put("CHAT_DEV_LOGIN", "false");
      env.put("JWT_ISSUER", ISSUER);
      env.put("JWT_AUDIENCE", AUDIENCE);
    }, null);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    pemFile = Files.createTempFile("jwt-public", ".pem");
    Files.writeString(pemFile, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    Map<String, String> env = new HashMap<>(TestEnv.env(system.config.pg().schema()));
    // JWT_SECRET stays set: with a public key, HS256 tokens must be refused all the same.
    env.put("CHAT_DEV_LOGIN", "false");
    env.put("JWT_PUBLIC_KEY", pemFile.toString());
    rsaPort = TestEnv.freePort();
    env.put("PORT", String.valueOf(rsaPort));
    env.put("VERTICLE_INSTANCES", "1");
    Await.result(GatewayVerticle.deployment(ChatConfig.from(env)).deploy(system.vertx));
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
    if (pemFile != null) {
      Files.deleteIfExists(pemFile);
    }
  }

  private static JsonObject claims(String sub) {
    return TestTokens.claims(sub).put("iss", ISSUER).put("aud", AUDIENCE);
  }

  private static Response threads(String token) {
    return system.get(token, "/api/threads");
  }

  private static void assertUnauthorized(String token, String why) {
    Response r = threads(token);
    assertEquals(401, r.status(), why + ": " + r);
    assertEquals("unauthorized", r.error(), why);
  }

  @Test
  @DisplayName("A valid token with the configured issuer and audience is accepted")
  void validToken() {
    Response r = threads(TestTokens.hs256(TestEnv.JWT_SECRET, claims("alice")));
    assertEquals(200, r.status(), r.toString());
  }

  @Test
  @DisplayName("Expired, not-yet-valid, forged, unsigned, subject-less and wrong issuer or audience tokens are all 401")
  void refusedTokens() {
    long now = Instant.now().getEpochSecond();
    String secret = TestEnv.JWT_SECRET;
    assertUnauthorized(TestTokens.hs256(secret, claims("alice").put("exp", now - 60)), "expired");
    assertUnauthorized(TestTokens.hs256(secret, claims("alice").put("nbf", now + 600)), "not yet valid");
    assertUnauthorized(TestTokens.hs256("another-secret-another-secret-another-secret", claims("alice")), "wrong signature");
    assertUnauthorized(TestTokens.none(claims("alice")), "alg none");
    JsonObject noSub = claims("alice");
    noSub.remove("sub");
    assertUnauthorized(TestTokens.hs256(secret, noSub), "missing sub");
    assertUnauthorized(TestTokens.hs256(secret, claims("alice").put("sub", 42)), "numeric sub");
    assertUnauthorized(TestTokens.hs256(secret, claims("bad user/id")), "invalid sub");
    assertUnauthorized(TestTokens.hs256(secret, claims("alice").put("iss", "https://evil.example")), "wrong issuer");
    assertUnauthorized(TestTokens.hs256(secret, claims("alice").put("aud", "other")), "wrong audience");
    assertUnauthorized(TestTokens.rs256(rsa.getPrivate(), claims("alice")), "RS256 where HS256 is configured");
    String valid = TestTokens.hs256(secret, claims("alice"));
    assertUnauthorized(valid.substring(0, valid.length() - 3) + "abc", "tampered signature");
    String[] parts = valid.split("\\.");
    String forgedPayload = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims("admin").encode().getBytes());
    assertUnauthorized(parts[0] + "." + forgedPayload + "." + parts[2], "swapped payload");
    Response basic = Await.result(system.http.get("/api/threads").putHeader("Authorization", "Basic " + valid).send()
        .map(x -> new Response(x.statusCode(), x.bodyAsString(), x.headers())));
    assertEquals(401, basic.status());
  }

  @Test
  @DisplayName("A token without exp is refused (401), over HTTP and on the bridge, however valid otherwise")
  void tokensMustExpire() {
    JsonObject noExp = claims("alice");
    noExp.remove("exp");
    String token = TestTokens.hs256(TestEnv.JWT_SECRET, noExp);
    assertUnauthorized(token, "no exp");
    Throwable failure = BridgeClient.connectFailure(system.vertx, system.port, "?access_token=" + token);
    assertTrue(failure instanceof UpgradeRejectedException u && u.getStatus() == 401, String.valueOf(failure));
  }

  @Test
  @DisplayName("A bridge socket is closed when its token expires, not before")
  void bridgeSocketEndsWithItsToken() {
    long exp = Instant.now().getEpochSecond() + 3;
    BridgeClient client = BridgeClient.connect(system.vertx, system.port,
        TestTokens.hs256(TestEnv.JWT_SECRET, claims("alice").put("exp", exp)), 500);
    try {
      assertTrue(!client.awaitClosed(java.time.Duration.ofMillis(1500)), "open while the token is valid");
      assertTrue(client.awaitClosed(java.time.Duration.ofSeconds(5)), "closed at expiry");
      assertTrue(System.currentTimeMillis() >= exp * 1000, "not before expiry");
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("Dev login is 404 when it is off")
  void devLoginOff() {
    Response r = system.post(null, "/api/dev/token", new JsonObject().put("userId", "alice"));
    assertEquals(404, r.status());
    assertEquals("not_found", r.error());
  }

  @Test
  @DisplayName("A bridge connection with an expired or unsigned token is refused with 401")
  void bridgeTokens() {
    long now = Instant.now().getEpochSecond();
    for (String token : new String[] {
        TestTokens.hs256(TestEnv.JWT_SECRET, claims("alice").put("exp", now - 60)),
        TestTokens.none(claims("alice"))}) {
      Throwable failure = BridgeClient.connectFailure(system.vertx, system.port, "?access_token=" + token);
      assertNotNull(failure);
      assertTrue(failure instanceof UpgradeRejectedException, failure.toString());
      assertEquals(401, ((UpgradeRejectedException) failure).getStatus());
    }
    BridgeClient.connect(system.vertx, system.port, TestTokens.hs256(TestEnv.JWT_SECRET, claims("alice"))).close();
  }

  @Test
  @DisplayName("A gateway configured with an RS256 public key accepts tokens signed by the identity provider's private key only")
  void rs256() {
    String good = TestTokens.rs256(rsa.getPrivate(), TestTokens.claims("carol"));
    var ok = Await.result(system.http.get(rsaPort, "127.0.0.1", "/api/threads")
        .putHeader("Authorization", "Bearer " + good).send());
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    String hs = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("carol"));
    String publicKeyAsSecret = TestTokens.hs256(Files.exists(pemFile) ? read(pemFile) : "", TestTokens.claims("carol"));
    for (String bad : new String[] {hs, publicKeyAsSecret, TestTokens.none(TestTokens.claims("carol"))}) {
      var refused = Await.result(system.http.get(rsaPort, "127.0.0.1", "/api/threads")
          .putHeader("Authorization", "Bearer " + bad).send());
      assertEquals(401, refused.statusCode(), refused.bodyAsString());
    }
    var devLogin = Await.result(system.http.post(rsaPort, "127.0.0.1", "/api/dev/token")
        .sendJsonObject(new JsonObject().put("userId", "carol")));
    assertEquals(404, devLogin.statusCode());
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
