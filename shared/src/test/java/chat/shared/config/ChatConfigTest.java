package chat.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatConfigTest {
  @Test
  @DisplayName("With no environment the defaults are the documented ones, and dev login is off")
  void defaults() {
    ChatConfig c = ChatConfig.from(Map.of());
    assertEquals(8080, c.port());
    assertFalse(c.devLogin());
    assertNull(c.effectiveJwtSecret());
    assertTrue(c.rateLimits());
    assertEquals(30, c.presenceTtlSeconds());
    assertEquals(10, c.heartbeatSeconds());
    assertEquals(5, c.typingTtlSeconds());
    assertEquals(5000, c.busTimeoutMs());
    assertEquals("127.0.0.1", c.pg().host());
    assertEquals("public", c.pg().schema());
    assertNull(c.redisUrl());
  }

  @Test
  @DisplayName("DATABASE_URL wins over the PG* variables and carries user, password, host, port and database")
  void databaseUrl() {
    ChatConfig c = ChatConfig.from(Map.of("DATABASE_URL", "postgresql://chat:s3cret@db.internal:6543/chatdb",
        "PGHOST", "ignored", "PG_SCHEMA", "tenant1"));
    assertEquals("db.internal", c.pg().host());
    assertEquals(6543, c.pg().port());
    assertEquals("chatdb", c.pg().database());
    assertEquals("chat", c.pg().user());
    assertEquals("s3cret", c.pg().password());
    assertEquals("tenant1", c.pg().schema());
  }

  @Test
  @DisplayName("Rate limits are off only with CHAT_RATE_LIMITS=off; lists are comma-separated and trimmed")
  void switchesAndLists() {
    ChatConfig c = ChatConfig.from(Map.of("CHAT_RATE_LIMITS", "off", "CORS_ORIGINS", "https://a.example, https://b.example",
        "CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2", "CHAT_DEV_LOGIN", "true"));
    assertFalse(c.rateLimits());
    assertEquals(List.of("https://a.example", "https://b.example"), c.corsOrigins());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2"), c.cluster().members());
    assertEquals(ChatConfig.DEV_SECRET, c.effectiveJwtSecret());
  }

  @Test
  @DisplayName("BUS_ROUTING is node by default, address or dual when set (any case), and anything else is refused at start-up")
  void busRouting() {
    assertEquals(ChatConfig.BusRouting.NODE, ChatConfig.from(Map.of()).busRouting());
    assertEquals(ChatConfig.BusRouting.ADDRESS, ChatConfig.from(Map.of("BUS_ROUTING", "address")).busRouting());
    assertEquals(ChatConfig.BusRouting.DUAL, ChatConfig.from(Map.of("BUS_ROUTING", "DUAL")).busRouting());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(Map.of("BUS_ROUTING", "broadcast")));
    assertTrue(e.getMessage().contains("BUS_ROUTING"));
  }

  @Test
  @DisplayName("A malformed number is refused at start-up with the variable's name")
  void badNumbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(Map.of("PORT", "eighty")));
    assertTrue(e.getMessage().contains("PORT"));
  }

  @Test
  @DisplayName("EMBED_ORIGINS and TOKEN_ENDPOINT are empty by default and read as browser origins and a same-origin path")
  void embedding() {
    ChatConfig none = ChatConfig.from(Map.of());
    assertEquals(List.of(), none.embedOrigins());
    assertNull(none.tokenEndpoint());
    ChatConfig c = ChatConfig.from(Map.of("EMBED_ORIGINS", "https://app.example.com, http://localhost:8090,https://[::1]:8443",
        "TOKEN_ENDPOINT", "/auth/chat-token"));
    assertEquals(List.of("https://app.example.com", "http://localhost:8090", "https://[::1]:8443"), c.embedOrigins());
    assertEquals("/auth/chat-token", c.tokenEndpoint());
  }

  @Test
  @DisplayName("An embedding origin that is not exactly scheme://host[:port] (a path, a wildcard, a default port, upper case, a CSP separator) refuses to start")
  void badEmbedOrigins() {
    for (String bad : List.of("*", "https://*.example.com", "https://app.example.com/", "https://app.example.com/chat",
        "app.example.com", "ftp://app.example.com", "https://App.example.com", "https://app.example.com:443",
        "http://app.example.com:80", "https://app.example.com:99999", "https://app.example.com?x", "'self'",
        "https://a.example; script-src *", "https://user@app.example.com", "null", "https://app.example.com:0")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ChatConfig.from(Map.of("EMBED_ORIGINS", bad)), bad);
      assertTrue(e.getMessage().startsWith("EMBED_ORIGINS: '"), e.getMessage());
    }
  }

  @Test
  @DisplayName("A TOKEN_ENDPOINT that is not a path on the page's own origin refuses to start")
  void badTokenEndpoints() {
    for (String bad : List.of("https://idp.example.com/token", "//idp.example.com/token", "auth/token", "/auth token",
        "/auth?x=1", "/auth#x", "javascript:alert(1)")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ChatConfig.from(Map.of("TOKEN_ENDPOINT", bad)), bad);
      assertTrue(e.getMessage().startsWith("TOKEN_ENDPOINT: '"), e.getMessage());
    }
  }
}
