package chat.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a stored file is, decided once at upload from its first bytes, and how it is served. Only PNG, JPEG, GIF
 * and WebP whose first bytes say so are images (shown inline); a file that claims an image type without its
 * magic bytes is stored as {@code application/octet-stream}. Anything else keeps the type the client gave (when
 * it is a plain {@code type/subtype}) and is only ever served as a download. So SVG and HTML, disguised or not,
 * are never rendered by a browser from our origin.
 */
final class FileTypes {
  static final String OCTET_STREAM = "application/octet-stream";
  static final int SNIFF_BYTES = 12;
  private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");
  private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");

  private FileTypes() {}

  /** The content type to record for a file whose first bytes are {@code head}, declared as {@code declared}. */
  static String decide(String declared, byte[] head) {
    String sniffed = sniff(head);
    if (sniffed != null) {
      return sniffed;
    }
    String type = declared == null ? "" : declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!MIME.matcher(type).matches() || INLINE.contains(type)) {
      return OCTET_STREAM;
    }
    return type;
  }

  /** Whether a recorded type is shown inline (only ever set by {@link #decide} after the magic bytes matched). */
  static boolean inline(String contentType) {
    return INLINE.contains(contentType);
  }

  /** The raster image type that the first bytes prove, or null. */
  static String sniff(byte[] h) {
    if (starts(h, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (starts(h, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsText(h, "GIF87a") || startsText(h, "GIF89a")) {
      return "image/gif";
    }
    if (h.length >= 12 && startsText(h, "RIFF") && new String(h, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
      return "image/webp";
    }
    return null;
  }

  /**
   * A {@code Content-Disposition} that no file name can break (RFC 6266): an ASCII fallback with every
   * character outside a safe set replaced by {@code _}, and the real name as UTF-8 in {@code filename*}.
   */
  static String disposition(boolean inline, String name) {
    StringBuilder ascii = new StringBuilder();
    for (char c : name.toCharArray()) {
      ascii.append(c < 0x7f && (Character.isLetterOrDigit(c) || " ._-()[]+,".indexOf(c) >= 0) ? c : '_');
    }
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x7f && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format("%02X", c));
      }
    }
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  private static boolean starts(byte[] h, int... magic) {
    if (h.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((h[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsText(byte[] h, String text) {
    return starts(h, text.chars().toArray());
  }
}
