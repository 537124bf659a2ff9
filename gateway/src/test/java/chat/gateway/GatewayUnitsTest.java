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
    assertEquals(409, ErrorCode.THREAD_FULL.status());
    assertEquals(ErrorCode.THREAD_FULL, ErrorCode.fromCode("thread_full"));
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
  @DisplayName("The bridge accepts requests on exactly the contract's six inbound addresses and registers only well-formed thread addresses")
  void permittedAddresses() {
    assertEquals(6, BridgeGuard.INBOUND.size());
    for (String address : BridgeGuard.INBOUND) {
      assertTrue(BridgeGuard.maySend(address), address);
    }
    assertFalse(BridgeGuard.maySend("chat.messaging.message.send"));
    assertFalse(BridgeGuard.maySend("chat.thread.0b6f7a4e-8a8e-4a52-9a7e-3f0c2d1e9b11"));
    assertFalse(BridgeGuard.maySend("chat.user.alice"));
    assertTrue(BridgeGuard.THREAD_ADDRESS.matcher("chat.thread.0b6f7a4e-8a8e-4a52-9a7e-3f0c2d1e9b11").matches());
    assertFalse(BridgeGuard.THREAD_ADDRESS.matcher("chat.thread.join").matches());
    assertFalse(BridgeGuard.THREAD_ADDRESS.matcher("chat.thread.0B6F7A4E-8A8E-4A52-9A7E-3F0C2D1E9B11").matches());
  }

  @Test
  @DisplayName("A connection receives a thread's events only while it is a verified member of that thread")
  void receiveOnlyAsMember() {
    String thread = "0b6f7a4e-8a8e-4a52-9a7e-3f0c2d1e9b11";
    assertEquals(thread, Deliveries.threadOf("chat.thread." + thread));
    assertEquals(null, Deliveries.threadOf("chat.user.alice"));
    Connection c = new Connection("c1", new AuthUser("alice", "Alice"), "127.0.0.1");
    assertFalse(Deliveries.mayReceive(c, thread));
    c.verifiedMember(thread);
    assertTrue(Deliveries.mayReceive(c, thread));
    assertFalse(Deliveries.mayReceive(c, thread.toUpperCase()));
    assertFalse(Deliveries.mayReceive(c, Deliveries.threadOf("chat.thread.x" + thread)));
    c.revoke(thread);
    assertFalse(Deliveries.mayReceive(c, thread));
    assertTrue(Deliveries.mayReceive(c, Deliveries.threadOf("chat.user.alice")));
  }
}
