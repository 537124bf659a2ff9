package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.model.Events;
import chat.shared.model.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BridgeFramesTest {
  private static String rec(String address, JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", address).put("body", body).encode();
  }

  @Test
  @DisplayName("A message:new frame yields its address, seq and the send stamp the load generator put in the body")
  void readsMessageNew() {
    String body = BridgeFrames.stampedBody(123456789L, 64);
    assertEquals(64, body.length());
    Message m = new Message("m1", "t1", 42, 42, "alice", body, Instant.now(), null, new JsonArray(), null, false, null);
    BridgeFrames.Incoming in = BridgeFrames.read(rec("chat.thread.t1", Events.messageNew(m)));
    assertTrue(in.isMessageNew());
    assertEquals("chat.thread.t1", in.address());
    assertEquals(42, in.seq());
    assertEquals(123456789L, in.stamp());
  }

  @Test
  @DisplayName("A receipt event's lastReadSeq is never mistaken for a message seq")
  void ignoresOtherEvents() {
    BridgeFrames.Incoming in = BridgeFrames.read(rec("chat.thread.t1", Events.receiptUpdate("t1", "bob", 7, Instant.now())));
    assertFalse(in.isMessageNew());
    assertEquals(-1, in.seq());
    BridgeFrames.Incoming p = BridgeFrames.read(rec("chat.thread.t1", Events.presenceUpdate("t1", List.of("a"))));
    assertFalse(p.isMessageNew());
  }

  @Test
  @DisplayName("Error frames are recognised, and frames with keys in an unusual order still parse")
  void errorsAndOrder() {
    assertEquals("err", BridgeFrames.read("{\"type\":\"err\",\"body\":\"access_denied\"}").frameType());
    Message m = new Message("m1", "t9", 3, 3, "alice", BridgeFrames.stampedBody(99, 10), Instant.now(), null, new JsonArray(), null, false, null);
    String reordered = new JsonObject().put("address", "chat.thread.t9").put("body", Events.messageNew(m)).put("type", "rec").encode();
    BridgeFrames.Incoming in = BridgeFrames.read(reordered);
    assertTrue(in.isMessageNew());
    assertEquals(3, in.seq());
    assertEquals(99, in.stamp());
  }

  @Test
  @DisplayName("Register frames are the standard Vert.x bridge shape")
  void registerFrame() {
    JsonObject f = new JsonObject(BridgeFrames.register("chat.thread.x"));
    assertEquals("register", f.getString("type"));
    assertEquals("chat.thread.x", f.getString("address"));
    assertEquals("ping", new JsonObject(BridgeFrames.ping()).getString("type"));
    assertEquals(-1, BridgeFrames.stampOf("hello"));
    assertEquals(5, BridgeFrames.stampOf("lg:5:xx"));
  }
}
