package chat.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed download links of attachments: {@code /api/attachments/{id}?exp=<epoch seconds>&sig=<HMAC-SHA256 of
 * id and exp, base64url>}, with a key every gateway shares ({@code ATTACHMENT_URL_KEY}), so a link works behind
 * any of them. {@code exp} is rounded up to the next whole hour at least an hour away: a link is valid for one to
 * two hours, and the same file keeps the same link for an hour (browsers cache it). Messages get their links
 * here, at the edge, as they leave for a client; none is ever stored.
 */
public final class AttachmentLinks {
  static final long HOUR = 3600;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  /** One initialised Mac per thread (doFinal resets it): links are signed for every attachment of every frame. */
  private final ThreadLocal<Mac> mac;
  private final Clock clock;

  public AttachmentLinks(byte[] key, Clock clock) {
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    this.mac = ThreadLocal.withInitial(() -> newMac(spec));
    this.clock = clock;
  }

  /** With the configured key, or (null) a random one: links then work on this gateway only. */
  public static AttachmentLinks of(String configuredKey) {
    byte[] key;
    if (configuredKey == null) {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
    } else {
      key = configuredKey.getBytes(StandardCharsets.UTF_8);
    }
    return new AttachmentLinks(key, Clock.systemUTC());
  }

  public String url(String attachmentId) {
    long now = clock.instant().getEpochSecond();
    long exp = ((now + HOUR) / HOUR + 1) * HOUR;
    return "/api/attachments/" + attachmentId + "?exp=" + exp + "&sig=" + sign(attachmentId, exp);
  }

  /** Whether {@code sig} is this key's signature of the id and {@code exp}, and {@code exp} has not passed. */
  public boolean valid(String attachmentId, String exp, String sig) {
    if (exp == null || sig == null || !exp.matches("[0-9]{1,12}")) {
      return false;
    }
    long expiry = Long.parseLong(exp);
    byte[] expected = sign(attachmentId, expiry).getBytes(StandardCharsets.US_ASCII);
    boolean match = MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII));
    return match && expiry > clock.instant().getEpochSecond();
  }

  /** An attachment's client shape with its link. */
  public JsonObject withUrl(JsonObject attachment) {
    return attachment.copy().put("url", url(attachment.getString("id")));
  }

  /**
   * A body that carries messages ({@code message}, or {@code messages}) with a link on every attachment; the
   * body itself when it has none (most), else a copy (bus bodies may be shared with other consumers).
   */
  public JsonObject signed(JsonObject body) {
    if (body == null) {
      return null;
    }
    Object message = body.getValue("message");
    if (message instanceof JsonObject m && hasAttachments(m)) {
      return body.copy().put("message", signedMessage(m));
    }
    Object messages = body.getValue("messages");
    if (messages instanceof JsonArray list && list.stream().anyMatch(x -> x instanceof JsonObject o && hasAttachments(o))) {
      JsonArray out = new JsonArray();
      list.forEach(x -> out.add(x instanceof JsonObject o && hasAttachments(o) ? signedMessage(o) : x));
      return body.copy().put("messages", out);
    }
    return body;
  }

  private JsonObject signedMessage(JsonObject message) {
    JsonArray out = new JsonArray();
    message.getJsonArray("attachments").forEach(a -> out.add(a instanceof JsonObject o ? withUrl(o) : a));
    return message.copy().put("attachments", out);
  }

  private static boolean hasAttachments(JsonObject message) {
    return message.getValue("attachments") instanceof JsonArray a && !a.isEmpty();
  }

  private String sign(String attachmentId, long exp) {
    return B64.encodeToString(mac.get().doFinal((attachmentId + "\n" + exp).getBytes(StandardCharsets.UTF_8)));
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
