package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.auth.Jwts;
import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static Vertx vertx;
  private static JWTAuth real;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    real = Jwts.verifier(vertx, ChatConfig.from(Map.of("JWT_SECRET", TestEnv.JWT_SECRET)));
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The real verifier, counting its signature checks. */
  private static JWTAuth counting(AtomicInteger checks) {
    return (JWTAuth) Proxy.newProxyInstance(JWTAuth.class.getClassLoader(), new Class<?>[] {JWTAuth.class},
        (proxy, method, args) -> {
          if (method.getName().equals("authenticate")) {
            checks.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static AuthUser verify(TokenVerifier verifier, String token) throws Exception {
    return verifier.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A client's repeated requests with the same token cost one signature check")
  void verifiedOnce() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    TokenVerifier verifier = new TokenVerifier(counting(checks), System::currentTimeMillis);
    String token = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("alice"));
    for (int i = 0; i < 5; i++) {
      assertEquals("alice", verify(verifier, token).userId());
    }
    assertEquals(1, checks.get());
  }

  @Test
  @DisplayName("A remembered token is checked again once its expiry has passed, so it is never trusted past it")
  void notTrustedPastExpiry() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    TokenVerifier verifier = new TokenVerifier(counting(checks), clock::get);
    long exp = Instant.now().getEpochSecond() + 60;
    String token = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("alice").put("exp", exp));
    verify(verifier, token);
    clock.set(exp * 1000 - 1);
    verify(verifier, token);
    assertEquals(1, checks.get());
    clock.set(exp * 1000);
    verify(verifier, token);
    assertEquals(2, checks.get());
  }

  @Test
  @DisplayName("A token is remembered for at most five minutes, however far away its expiry is")
  void rememberedAtMostFiveMinutes() {
    long now = 1_000_000L;
    assertEquals(now + 300_000, TokenVerifier.validUntil(now / 1000 + 86_400, now));
    assertEquals(now + 300_000, TokenVerifier.validUntil(null, now));
    assertEquals(1_060_000L, TokenVerifier.validUntil(1_060L, now));
  }

  @Test
  @DisplayName("A refused token is refused every time, not remembered")
  void refusalsNotRemembered() {
    AtomicInteger checks = new AtomicInteger();
    TokenVerifier verifier = new TokenVerifier(counting(checks), System::currentTimeMillis);
    String forged = TestTokens.hs256("another-secret-another-secret-another-secret", TestTokens.claims("alice"));
    for (int i = 0; i < 2; i++) {
      assertTrue(verifier.verify(forged).toCompletionStage().toCompletableFuture().handle((u, t) -> t != null).join());
    }
    assertEquals(2, checks.get());
  }

  @Test
  @DisplayName("The verified-token memory stays bounded however many distinct tokens are presented")
  void memoryBounded() throws Exception {
    TokenVerifier.Memory memory = new TokenVerifier.Memory();
    // Trusts any token and names the user after it: the signature check is not what this test is about.
    JWTAuth trusting = (JWTAuth) Proxy.newProxyInstance(JWTAuth.class.getClassLoader(), new Class<?>[] {JWTAuth.class},
        (proxy, method, args) -> Future.succeededFuture(User.create(new JsonObject(),
            new JsonObject().put("accessToken", new JsonObject().put("sub", ((TokenCredentials) args[0]).getToken())
                .put("exp", Instant.now().getEpochSecond() + 3600)))));
    TokenVerifier verifier = new TokenVerifier(trusting, System::currentTimeMillis, memory);
    for (int i = 0; i < TokenVerifier.MAX_CACHED + 2000; i++) {
      assertEquals("user" + i, verify(verifier, "user" + i).userId());
    }
    assertTrue(memory.size() <= TokenVerifier.MAX_CACHED, "tokens remembered: " + memory.size());
  }

  @Test
  @DisplayName("A remembered token's memory is freed five minutes after its verification, even if never presented again")
  void memoryFreedAfterFiveMinutes() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    TokenVerifier.Memory memory = new TokenVerifier.Memory(() -> clock.get() * 1_000_000);
    TokenVerifier verifier = new TokenVerifier(counting(checks), clock::get, memory);
    verify(verifier, TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("alice")));
    clock.addAndGet(TokenVerifier.CACHE_SECONDS * 1000 - 1);
    assertEquals(1, memory.size());
    clock.addAndGet(1);
    assertEquals(0, memory.size());
  }

  @Test
  @DisplayName("Verifiers of several event loops share one memory: a token verified on one is not checked again on another")
  void sharedMemory() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    TokenVerifier.Memory memory = new TokenVerifier.Memory();
    TokenVerifier one = new TokenVerifier(counting(checks), System::currentTimeMillis, memory);
    TokenVerifier two = new TokenVerifier(counting(checks), System::currentTimeMillis, memory);
    String token = TestTokens.hs256(TestEnv.JWT_SECRET, TestTokens.claims("alice"));
    assertEquals("alice", verify(one, token).userId());
    assertEquals("alice", verify(two, token).userId());
    assertEquals(1, checks.get());
  }
}
