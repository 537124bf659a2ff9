package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pure rules of attachments: types from magic bytes, safe file names, signed links. */
class AttachmentUnitsTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

  @Test
  @DisplayName("Only PNG, JPEG, GIF and WebP whose first bytes match are images; a claimed image without them is octet-stream")
  void types() {
    assertEquals("image/png", FileTypes.decide("application/octet-stream", PNG));
    assertEquals("image/jpeg", FileTypes.decide(null, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
    assertEquals("image/gif", FileTypes.decide("image/gif", "GIF89a......".getBytes()));
    assertEquals("image/webp", FileTypes.decide("image/webp", "RIFF\0\0\0\0WEBP".getBytes()));
    assertEquals("application/octet-stream", FileTypes.decide("image/png", "<html><body>".getBytes()));
    assertEquals("image/svg+xml", FileTypes.decide("image/svg+xml", "<svg xmlns=..".getBytes()));
    assertEquals("text/html", FileTypes.decide("text/html; charset=utf-8", "<html>".getBytes()));
    assertEquals("application/octet-stream", FileTypes.decide("text/html\r\nX-Evil: 1", "<html>".getBytes()));
    assertFalse(FileTypes.inline("image/svg+xml"));
    assertFalse(FileTypes.inline("text/html"));
    assertTrue(FileTypes.inline("image/png"));
  }

  @Test
  @DisplayName("No file name can break Content-Disposition: quotes, line breaks and semicolons are replaced, the real name is in filename*")
  void disposition() {
    String d = FileTypes.disposition(false, "a\"b\r\nSet-Cookie: x=1;.pdf");
    assertEquals("attachment; filename=\"a_b__Set-Cookie_ x_1_.pdf\"; "
        + "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%3D1%3B.pdf", d);
    assertEquals("inline; filename=\"_t_.png\"; filename*=UTF-8''%C3%A9t%C3%A9.png",
        FileTypes.disposition(true, "été.png"));
  }

  @Test
  @DisplayName("A file name keeps only its last path segment, loses control characters, and is never blank")
  void fileNames() {
    assertEquals("passwd", Requests.fileName("../../etc/passwd"));
    assertEquals("x.txt", Requests.fileName("C:\\Users\\me\\x.txt"));
    assertEquals("ab.txt", Requests.fileName("a\u0000b\n.txt"));
    assertEquals("file", Requests.fileName("  "));
    assertEquals("file", Requests.fileName(".."));
    assertEquals(255, Requests.fileName("x".repeat(1000)).length());
  }

  @Test
  @DisplayName("A link is valid for its id until its expiry, for one to two hours, and for nothing else")
  void links() {
    byte[] key = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.parse("2026-01-01T10:20:00Z");
    AttachmentLinks links = new AttachmentLinks(key, Clock.fixed(now, ZoneOffset.UTC));
    String url = links.url("id-1");
    String exp = url.substring(url.indexOf("exp=") + 4, url.indexOf("&sig="));
    String sig = url.substring(url.indexOf("&sig=") + 5);
    long seconds = Long.parseLong(exp) - now.getEpochSecond();
    assertTrue(seconds >= 3600 && seconds <= 7200, String.valueOf(seconds));
    assertTrue(links.valid("id-1", exp, sig));
    assertFalse(links.valid("id-2", exp, sig));
    assertFalse(links.valid("id-1", String.valueOf(Long.parseLong(exp) + 1), sig));
    assertFalse(links.valid("id-1", exp + "x", sig));
    assertFalse(links.valid("id-1", exp, null));
    AttachmentLinks later = new AttachmentLinks(key, Clock.fixed(Instant.ofEpochSecond(Long.parseLong(exp)), ZoneOffset.UTC));
    assertFalse(later.valid("id-1", exp, sig), "expired");
  }
}
