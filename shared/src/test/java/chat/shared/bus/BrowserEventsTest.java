package chat.shared.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.protocol.Gateway;
import chat.shared.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrowserEventsTest {
  private static final JsonObject EVENT = new JsonObject().put("type", "message:new").put("threadId", "t");
  private Vertx vertx;
  /** What reached the bus: "address <- body" (consumers on several event loops: compared sorted). */
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    for (String address : List.of(Addresses.GATEWAY_EVENTS, Addresses.thread("t"), Addresses.user("a"), Addresses.user("b"))) {
      Await.result(vertx.eventBus().<JsonObject>consumer(address, m -> heard.add(address + " <- " + m.body().encode()))
          .completion());
    }
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  @DisplayName("node: an event for a thread and its members is one publish to gateway.events naming every address; address: one publish per address; dual: both")
  void publishesAsTheRoutingSays() {
    String delivery = new JsonObject()
        .put("to", new JsonArray().add(Addresses.thread("t")).add(Addresses.user("a")).add(Addresses.user("b")))
        .put("event", EVENT).encode();
    List<String> perAddress = List.of(Addresses.thread("t") + " <- " + EVENT.encode(),
        Addresses.user("a") + " <- " + EVENT.encode(), Addresses.user("b") + " <- " + EVENT.encode()).stream().sorted().toList();

    assertEquals(List.of(Addresses.GATEWAY_EVENTS + " <- " + delivery), heardAfter(BusRouting.NODE, 1));
    assertEquals(perAddress, heardAfter(BusRouting.ADDRESS, 3));
    List<String> both = new ArrayList<>(List.of(Addresses.GATEWAY_EVENTS + " <- " + delivery));
    both.addAll(perAddress);
    assertEquals(both.stream().sorted().toList(), heardAfter(BusRouting.DUAL, 4));
  }

  @Test
  @DisplayName("A delivery reads back as written; a malformed one, or one naming any other address, is invalid_request")
  void deliveryBodies() {
    Gateway.Delivery d = new Gateway.Delivery(List.of(Addresses.thread("t"), Addresses.user("a")), EVENT);
    assertEquals(d, Gateway.Delivery.from(d.toJson()));
    for (Object body : List.<Object>of("text", new JsonObject(), new JsonObject().put("to", "chat.user.a").put("event", EVENT),
        new JsonObject().put("to", new JsonArray().add(1)).put("event", EVENT),
        new JsonObject().put("to", new JsonArray()).put("event", EVENT),
        new JsonObject().put("to", new JsonArray().add(Addresses.user("a"))).put("event", "x"),
        new JsonObject().put("to", new JsonArray().add(Addresses.MESSAGE_SEND)).put("event", EVENT),
        new JsonObject().put("to", new JsonArray().add(Addresses.user("a")).addNull()).put("event", EVENT))) {
      ChatException e = assertThrows(ChatException.class, () -> Gateway.Delivery.from(body), String.valueOf(body));
      assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    }
  }

  private List<String> heardAfter(BusRouting routing, int expected) {
    heard.clear();
    vertx.runOnContext(v -> new BrowserEvents(vertx, routing)
        .toThreadAndUsers("t", List.of("a", "b"), EVENT));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (heard.size() < expected && System.nanoTime() < deadline) {
      Await.pause(10);
    }
    Await.pause(100);
    return heard.stream().sorted().toList();
  }
}
