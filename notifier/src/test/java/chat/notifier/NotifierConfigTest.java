package chat.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifierConfigTest {
  private static final String SECRET = "0123456789abcdef";

  @Test
  @DisplayName("Defaults: no URL (log only), a 30 s delay, the notifier schema beside public, its own under a test schema")
  void defaults() {
    NotifierConfig c = config(Map.of());
    assertNull(c.webhookUrl());
    assertEquals(30, c.delaySeconds());
    assertEquals(600, c.retryMaxSeconds());
    assertEquals("notifier", c.pg().schema());
    assertEquals("t_x_notifier", config(Map.of("PG_SCHEMA", "t_x")).pg().schema());
  }

  @Test
  @DisplayName("A URL needs a secret of 16 characters or more; a URL that is not http(s), or a bad number, stops the start")
  void refusesBadSettings() {
    assertEquals("https://hooks.example.com/chat",
        config(Map.of("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/chat", "NOTIFY_WEBHOOK_SECRET", SECRET)).webhookUrl().toString());
    assertMessage("NOTIFY_WEBHOOK_SECRET", Map.of("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/chat"));
    assertMessage("NOTIFY_WEBHOOK_SECRET", Map.of("NOTIFY_WEBHOOK_URL", "https://h.example.com", "NOTIFY_WEBHOOK_SECRET", "short"));
    assertMessage("NOTIFY_WEBHOOK_URL", Map.of("NOTIFY_WEBHOOK_URL", "file:///etc/passwd", "NOTIFY_WEBHOOK_SECRET", SECRET));
    assertMessage("NOTIFY_WEBHOOK_URL", Map.of("NOTIFY_WEBHOOK_URL", "http:/nohost", "NOTIFY_WEBHOOK_SECRET", SECRET));
    assertMessage("NOTIFY_DELAY_SECONDS", Map.of("NOTIFY_DELAY_SECONDS", "0"));
    assertMessage("NOTIFY_DELAY_SECONDS", Map.of("NOTIFY_DELAY_SECONDS", "soon"));
    assertMessage("NOTIFY_RETRY_MAX_SECONDS", Map.of("NOTIFY_RETRY_MAX_SECONDS", "-1"));
  }

  @Test
  @DisplayName("The signature is t=<seconds>,v1=<hex HMAC-SHA256 of t.body>")
  void signature() {
    // a published HMAC-SHA256 test vector
    assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        Signature.hmac("key", "The quick brown fox jumps over the lazy dog"));
    assertEquals("t=1700000000,v1=" + Signature.hmac(SECRET, "1700000000.{\"a\":1}"),
        Signature.header(SECRET, 1700000000L, "{\"a\":1}"));
  }

  @Test
  @DisplayName("A preview is the first 140 characters and never half of a surrogate pair")
  void preview() {
    assertEquals("short", Dispatcher.preview("short"));
    assertEquals("y".repeat(140), Dispatcher.preview("y".repeat(500)));
    String cut = Dispatcher.preview("x".repeat(139) + "\uD83D\uDE00" + "rest");
    assertEquals("x".repeat(139), cut);
    assertTrue(Dispatcher.preview("x".repeat(138) + "\uD83D\uDE00" + "rest").endsWith("\uD83D\uDE00"));
  }

  private static NotifierConfig config(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    return NotifierConfig.from(all, ChatConfig.from(all));
  }

  private static void assertMessage(String key, Map<String, String> env) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(env));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  @DisplayName("A mention is @ and the whole user id: not a longer id that starts with it")
  void mentions() {
    org.junit.jupiter.api.Assertions.assertTrue(Dispatcher.mentions("@bob please", "bob"));
    org.junit.jupiter.api.Assertions.assertTrue(Dispatcher.mentions("thanks @bob", "bob"));
    org.junit.jupiter.api.Assertions.assertTrue(Dispatcher.mentions("@bobby and @bob, both", "bob"));
    org.junit.jupiter.api.Assertions.assertFalse(Dispatcher.mentions("@bobby only", "bob"));
    org.junit.jupiter.api.Assertions.assertFalse(Dispatcher.mentions("@bob.smith", "bob"));
    org.junit.jupiter.api.Assertions.assertFalse(Dispatcher.mentions("bob without an at", "bob"));
  }
}
