package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.auth.Jwts;
import chat.shared.config.ChatConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Verifies a JWT (signature, algorithm, expiry, which it must carry, not-before, issuer and audience as configured) and
 * reads the caller from it: {@code sub} must be a valid user id, {@code name} defaults to it. Every
 * refusal is {@code unauthorized}; the token itself never appears in a message or a log.
 *
 * <p>A verified token is remembered (at most {@value #MAX_CACHED} tokens, beyond which Caffeine's size
 * policy forgets some) until the earlier of its {@code exp} and {@value #CACHE_SECONDS} s after
 * verification, so a client's repeated requests cost one signature check; a token is never accepted
 * past its expiry. Refusals are not remembered. The memory ({@link Memory}) may be shared by the
 * verifiers of several event loops; each verifier has its own JWT provider, so a verification
 * completes on its caller's loop.
 */
public final class TokenVerifier {
  static final int MAX_NAME_CHARS = 200;
  static final int MAX_CACHED = 10_000;
  static final long CACHE_SECONDS = 300;
  private static final int MAX_TOKEN_CHARS = 8192;

  private record Verified(AuthUser user, long validUntilMs) {}

  /** Verified tokens; thread-safe. */
  static final class Memory {
    private final Cache<String, Verified> tokens;

    Memory() {
      this(Ticker.systemTicker());
    }

    /**
     * The {@code exp} check on every read is what keeps an expired token out; the write expiry only
     * frees the memory of tokens nobody presents again. Eviction runs on the caller's thread, not in
     * ForkJoinPool's common pool, so no work leaves the event loop.
     */
    Memory(Ticker ticker) {
      tokens = Caffeine.newBuilder()
          .maximumSize(MAX_CACHED)
          .expireAfterWrite(Duration.ofSeconds(CACHE_SECONDS))
          .ticker(ticker)
          .executor(Runnable::run)
          .build();
    }

    /** The tokens remembered now, after pending evictions and expiries (for tests). */
    long size() {
      tokens.cleanUp();
      return tokens.estimatedSize();
    }
  }

  private final JWTAuth jwt;
  private final LongSupplier clockMs;
  private final Cache<String, Verified> cache;

  public TokenVerifier(Vertx vertx, ChatConfig config) {
    this(vertx, config, new Memory());
  }

  /** A verifier for the calling event loop that shares {@code memory} with others. */
  TokenVerifier(Vertx vertx, ChatConfig config, Memory memory) {
    this(Jwts.verifier(vertx, config), System::currentTimeMillis, memory);
  }

  TokenVerifier(JWTAuth jwt, LongSupplier clockMs) {
    this(jwt, clockMs, new Memory(() -> clockMs.getAsLong() * 1_000_000));
  }

  TokenVerifier(JWTAuth jwt, LongSupplier clockMs, Memory memory) {
    this.jwt = jwt;
    this.clockMs = clockMs;
    this.cache = memory.tokens;
  }

  public Future<AuthUser> verify(String token) {
    if (token == null || token.isBlank() || token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(unauthorized());
    }
    AuthUser cached = cached(token);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    long verifiedAt = clockMs.getAsLong();
    return jwt.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(unauthorized()))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          Object sub = claims == null ? null : claims.getValue("sub");
          if (!(sub instanceof String userId) || !Requests.isUserId(userId)) {
            return Future.failedFuture(unauthorized());
          }
          // A token without exp would never end (nor would a bridge connection opened with it).
          if (!(claims.getValue("exp") instanceof Number exp)) {
            return Future.failedFuture(unauthorized());
          }
          AuthUser caller = new AuthUser(userId, displayName(claims.getValue("name"), userId),
              Math.multiplyExact(exp.longValue(), 1000L));
          remember(token, caller, validUntil(claims.getValue("exp"), verifiedAt));
          return Future.succeededFuture(caller);
        });
  }

  private AuthUser cached(String token) {
    Verified v = cache.getIfPresent(token);
    if (v == null) {
      return null;
    }
    if (clockMs.getAsLong() >= v.validUntilMs()) {
      // Only this entry: another loop may have just remembered a fresh verification of the same token.
      cache.asMap().remove(token, v);
      return null;
    }
    return v.user();
  }

  private void remember(String token, AuthUser user, long validUntilMs) {
    cache.put(token, new Verified(user, validUntilMs));
  }

  /** The earlier of the token's expiry ({@code exp}, seconds) and {@link #CACHE_SECONDS} after verification. */
  static long validUntil(Object exp, long verifiedAtMs) {
    long limit = verifiedAtMs + CACHE_SECONDS * 1000;
    if (exp instanceof Number n) {
      return Math.min(limit, n.longValue() * 1000);
    }
    return limit;
  }

  static String displayName(Object claim, String userId) {
    if (!(claim instanceof String name) || name.isBlank()) {
      return userId;
    }
    String trimmed = name.strip();
    return trimmed.length() > MAX_NAME_CHARS ? trimmed.substring(0, MAX_NAME_CHARS) : trimmed;
  }

  private static ChatException unauthorized() {
    return new ChatException(ErrorCode.UNAUTHORIZED);
  }
}
