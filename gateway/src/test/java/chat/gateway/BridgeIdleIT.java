package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.Await;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A bridge socket that stops pinging (a frozen tab, a dead network path) is closed and leaves presence. */
class BridgeIdleIT {
  private static final long PING_TIMEOUT_MS = 1500;
  private static GatewaySystem system;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(BridgeIdleIT.class,
        env -> env.put("BRIDGE_PING_TIMEOUT_MS", Long.toString(PING_TIMEOUT_MS)), null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A socket without pings for BRIDGE_PING_TIMEOUT_MS is closed and its user leaves presence; a pinging one stays")
  void silentSocketClosed() {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    String thread = system.createThread(alice, "Idle", bob);
    String address = Addresses.thread(thread);
    try (BridgeClient silent = BridgeClient.connect(system.vertx, system.port, system.token(alice), 0);
         BridgeClient pinging = BridgeClient.connect(system.vertx, system.port, system.token(bob), 300)) {
      JsonObject join = new JsonObject().put("threadId", thread);
      assertEquals("rec", silent.request(Addresses.CLIENT_THREAD_JOIN, join).getString("type"));
      pinging.register(address);
      pinging.awaitRegistered(system.vertx, address);
      JsonObject joined = pinging.request(Addresses.CLIENT_THREAD_JOIN, join);
      assertTrue(joined.getJsonObject("body").getJsonArray("onlineUserIds").contains(alice), joined.encode());

      long start = System.nanoTime();
      assertTrue(silent.awaitClosed(), "the silent socket is closed");
      long closedAfterMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closedAfterMs < PING_TIMEOUT_MS * 3, "closed after " + closedAfterMs + " ms");
      pinging.awaitMessage(address, b -> "presence:update".equals(b.getString("type"))
          && b.getJsonArray("onlineUserIds").equals(new JsonArray(List.of(bob))));

      Await.pause(PING_TIMEOUT_MS * 2);
      assertFalse(pinging.isClosed(), "a socket that pings stays open");
      assertEquals("rec", pinging.request(Addresses.CLIENT_THREAD_LEAVE, join).getString("type"));
    }
  }
}
