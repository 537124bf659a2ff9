package chat.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs for tests, so every claim and the algorithm header (even {@code none}) can be chosen. */
public final class TestTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  /** Claims for {@code sub} valid for an hour. */
  public static JsonObject claims(String sub) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", sub).put("name", sub).put("iat", now).put("exp", now + 3600);
  }

  public static String hs256(String secret, JsonObject claims) {
    String signingInput = signingInput("HS256", claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rs256(PrivateKey key, JsonObject claims) {
    String signingInput = signingInput("RS256", claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}), as an attacker would craft it. */
  public static String none(JsonObject claims) {
    return signingInput("none", claims) + ".";
  }

  private static String signingInput(String alg, JsonObject claims) {
    String header = new JsonObject().put("alg", alg).put("typ", "JWT").encode();
    return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
  }
}
