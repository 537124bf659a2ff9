package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.testing.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The per-IP connection limit behind a proxy: the test's connections all come from 127.0.0.1, which plays
 * the Ingress ({@code TRUSTED_PROXIES=127.0.0.1/32}) and says who the client is in {@code X-Forwarded-For}.
 */
class ClientIpIT {
  private static final int PER_IP = 3;
  private static final RateLimits LIMITS = RateLimits.defaults(true).withConnections(20, PER_IP);

  @Test
  @DisplayName("Behind a trusted proxy, many users do not fill one IP's limit, and a client-written leftmost entry cannot choose the IP")
  void clientIpsBehindAProxy() {
    List<BridgeClient> open = new ArrayList<>();
    try (GatewaySystem system = GatewaySystem.start(ClientIpIT.class, env -> env.put("TRUSTED_PROXIES", "127.0.0.1/32"), LIMITS)) {
      for (int i = 0; i < 4 * PER_IP; i++) {
        BridgeClient c = connect(system, user("crowd"), "198.51.100." + (i + 1));
        open.add(c);
        assertWorks(c, "user " + i + " behind the proxy");
      }
      // One client (203.0.113.9) writes a different leftmost entry each time: the proxy appends the real address.
      for (int i = 0; i < PER_IP; i++) {
        BridgeClient c = connect(system, user("mallory"), "10.0.0." + i + ", 203.0.113.9");
        open.add(c);
        assertWorks(c, "mallory's connection " + i);
      }
      BridgeClient over = connect(system, user("mallory"), "192.0.2.77, 203.0.113.9");
      open.add(over);
      assertTrue(over.awaitClosed(), "the 4th connection of 203.0.113.9 is over its IP's limit, whatever it wrote");
      assertWorks(connect(system, user("late"), "198.51.100.200"), "a later user from another IP");
    } finally {
      open.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("Without TRUSTED_PROXIES, X-Forwarded-For is ignored: the TCP peer is the client")
  void headerIgnoredWithoutTrustedProxies() {
    List<BridgeClient> open = new ArrayList<>();
    try (GatewaySystem system = GatewaySystem.start(ClientIpIT.class, env -> {}, LIMITS)) {
      for (int i = 0; i < PER_IP; i++) {
        BridgeClient c = connect(system, user("spoof"), "198.51.100." + (i + 1));
        open.add(c);
        assertWorks(c, "connection " + i);
      }
      BridgeClient over = connect(system, user("spoof"), "198.51.100.99");
      open.add(over);
      assertTrue(over.awaitClosed(), "a forged header does not escape the peer's limit");
    } finally {
      open.forEach(BridgeClient::close);
    }
  }

  private static BridgeClient connect(GatewaySystem system, String userId, String forwardedFor) {
    return BridgeClient.connect(system.vertx, system.port, system.token(userId), 5000,
        Map.of("X-Forwarded-For", forwardedFor));
  }

  /** An accepted socket answers a request (a refused one is closed without a reply). */
  private static void assertWorks(BridgeClient c, String what) {
    JsonObject reply = c.request(Addresses.CLIENT_THREAD_LEAVE, new JsonObject().put("threadId", UUID.randomUUID().toString()));
    assertEquals("rec", reply.getString("type"), what + ": " + reply.encode());
  }
}
