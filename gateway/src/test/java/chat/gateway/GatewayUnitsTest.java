package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayUnitsTest {
  @Test
  @DisplayName("Router statuses map to the contract's error codes, and unknown server errors to internal")
  void statusMapping() {
    assertEquals(ErrorCode.NOT_FOUND, FailureHandler.byStatus(404, null).code());
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED, FailureHandler.byStatus(405, null).code());
    assertEquals(ErrorCode.REQUEST_TOO_LARGE, FailureHandler.byStatus(413, null).code());
    assertEquals(ErrorCode.UNAUTHORIZED, FailureHandler.byStatus(401, null).code());
    assertEquals(ErrorCode.INVALID_REQUEST, FailureHandler.byStatus(417, null).code());
    assertEquals(ErrorCode.INVALID_REQUEST, FailureHandler.byStatus(500, new DecodeException("bad")).code());
    assertEquals(ErrorCode.INTERNAL, FailureHandler.byStatus(500, new IllegalStateException()).code());
  }

  @Test
  @DisplayName("Typing starts reach the store at most once a second per thread, and a stop lets the next start through")
  void typingThrottle() {
    Connection c = new Connection("c1", new AuthUser("alice", "Alice"), "127.0.0.1");
    assertTrue(c.shouldForwardTyping("t1", 0, 1000));
    assertFalse(c.shouldForwardTyping("t1", 500, 1000));
    assertTrue(c.shouldForwardTyping("t2", 500, 1000));
    assertTrue(c.shouldForwardTyping("t1", 1000, 1000));
    c.typingStopped("t1");
    assertTrue(c.shouldForwardTyping("t1", 1100, 1000));
  }

  @Test
  @DisplayName("A socket may register each address once and no more addresses than its limit")
  void registrationSlots() {
    Connection c = new Connection("c1", new AuthUser("alice", "Alice"), "127.0.0.1");
    assertTrue(c.reserve("a", 2));
    assertFalse(c.reserve("a", 2));
    assertTrue(c.reserve("b", 2));
    assertFalse(c.reserve("c", 2));
    c.release("a");
    assertTrue(c.reserve("c", 2));
  }

  @Test
  @DisplayName("A removed member's thread leaves the connection's member set")
  void revoke() {
    Connection c = new Connection("c1", new AuthUser("alice", "Alice"), "127.0.0.1");
    c.verifiedMember("t1");
    assertTrue(c.isMemberOf("t1"));
    c.revoke("t1");
    assertFalse(c.isMemberOf("t1"));
  }

  @Test
  @DisplayName("The display name comes from the name claim, trimmed and bounded, else the user id")
  void displayName() {
    assertEquals("Alice", TokenVerifier.displayName(" Alice ", "alice"));
    assertEquals("alice", TokenVerifier.displayName(null, "alice"));
    assertEquals("alice", TokenVerifier.displayName(42, "alice"));
    assertEquals("alice", TokenVerifier.displayName("  ", "alice"));
    assertEquals(TokenVerifier.MAX_NAME_CHARS, TokenVerifier.displayName("x".repeat(500), "alice").length());
  }

  @Test
  @DisplayName("The bridge permits exactly the contract's addresses: thread and user outbound, six inbound")
  void permittedAddresses() {
    var options = EventBusBridge.options(chat.shared.config.ChatConfig.from(java.util.Map.of("JWT_SECRET", "x")),
        RateLimits.defaults(true));
    assertEquals(2, options.getOutboundPermitteds().size());
    assertEquals(6, options.getInboundPermitteds().size());
    options.getInboundPermitteds().forEach(p -> assertTrue(BridgeGuard.INBOUND.contains(p.getAddress())));
    assertTrue("chat.thread.0b6f7a4e-8a8e-4a52-9a7e-3f0c2d1e9b11".matches(EventBusBridge.THREAD_ADDRESS_REGEX));
    assertFalse("chat.thread.join".matches(EventBusBridge.THREAD_ADDRESS_REGEX));
    assertFalse("chat.user.".matches(EventBusBridge.USER_ADDRESS_REGEX));
    assertFalse("messaging.message.send".matches(EventBusBridge.USER_ADDRESS_REGEX));
  }

  @Test
  @DisplayName("A connection receives a thread's events only while it is a verified member of that thread")
  void receiveOnlyAsMember() {
    String thread = "0b6f7a4e-8a8e-4a52-9a7e-3f0c2d1e9b11";
    Connection c = new Connection("c1", new AuthUser("alice", "Alice"), "127.0.0.1");
    assertFalse(BridgeGuard.mayReceive(c, "chat.thread." + thread));
    c.verifiedMember(thread);
    assertTrue(BridgeGuard.mayReceive(c, "chat.thread." + thread));
    assertFalse(BridgeGuard.mayReceive(c, "chat.thread." + thread.toUpperCase()));
    assertFalse(BridgeGuard.mayReceive(c, "chat.thread.x" + thread));
    assertFalse(BridgeGuard.mayReceive(c, null));
    c.revoke(thread);
    assertFalse(BridgeGuard.mayReceive(c, "chat.thread." + thread));
    assertTrue(BridgeGuard.mayReceive(c, "chat.user.alice"));
  }
}
