package chat.shared.auth;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the JWT verifier from config: HS256 with {@code JWT_SECRET}, or RS256/ES256 with the PEM
 * public key at {@code JWT_PUBLIC_KEY} (algorithm from {@code JWT_ALGORITHM}, else guessed from the
 * key). With a public key set, HS256 tokens are refused ({@code JWT_SECRET} is ignored) unless dev login
 * is on. Issuer and audience are enforced when configured. Tokens signed with {@code none} or any other
 * algorithm are refused.
 */
public final class Jwts {
  private Jwts() {}

  public static JWTAuth verifier(Vertx vertx, ChatConfig config) {
    JWTAuthOptions options = new JWTAuthOptions();
    JWTOptions jwt = new JWTOptions().setLeeway(5);
    if (config.jwtIssuer() != null) {
      jwt.setIssuer(config.jwtIssuer());
    }
    if (config.jwtAudience() != null) {
      jwt.setAudience(List.of(config.jwtAudience()));
    }
    if (config.jwtPublicKeyPath() != null) {
      String pem = read(config.jwtPublicKeyPath());
      String alg = config.jwtAlgorithm() != null ? config.jwtAlgorithm() : guessAlgorithm(pem);
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem));
      jwt.setAlgorithm(alg);
    }
    // With a public key, HS256 is refused (a leaked shared secret must not mint tokens), except for dev login.
    String secret = config.jwtPublicKeyPath() == null || config.devLogin() ? config.effectiveJwtSecret() : null;
    if (secret != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
      if (config.jwtPublicKeyPath() == null) {
        jwt.setAlgorithm("HS256");
      }
    }
    if (config.jwtPublicKeyPath() == null && secret == null) {
      throw new IllegalStateException("Set JWT_SECRET or JWT_PUBLIC_KEY (or CHAT_DEV_LOGIN=true for development)");
    }
    return JWTAuth.create(vertx, options.setJWTOptions(jwt));
  }

  /** Signs a development token (HS256) with {@code sub} and {@code name}, valid {@code DEV_TOKEN_TTL_SECONDS}; only used by dev login. */
  public static String devToken(Vertx vertx, ChatConfig config, String userId, String name) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.effectiveJwtSecret())));
    JWTOptions opts = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(config.devTokenTtlSeconds());
    if (config.jwtIssuer() != null) {
      opts.setIssuer(config.jwtIssuer());
    }
    if (config.jwtAudience() != null) {
      opts.setAudience(List.of(config.jwtAudience()));
    }
    return signer.generateToken(new JsonObject().put("sub", userId).put("name", name), opts);
  }

  private static String guessAlgorithm(String pem) {
    // An EC SubjectPublicKeyInfo is much shorter than an RSA one.
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return body.length() < 200 ? "ES256" : "RS256";
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read JWT_PUBLIC_KEY " + path, e);
    }
  }
}
