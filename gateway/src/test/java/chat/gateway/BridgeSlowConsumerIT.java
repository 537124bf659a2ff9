package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.Await;
import chat.shared.testing.TestEnv;
import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.runtime.ChatMetrics;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A client that stops reading is disconnected once its unsent frames pass the limit; nobody else notices.
 * {@link BridgeSlowConsumerAddressRoutingIT} runs it again with {@code BUS_ROUTING=address}.
 */
class BridgeSlowConsumerIT {
  private static final int MAX_BUFFERED_BYTES = 16 * 1024;
  private static final int MAX_MESSAGES = 20_000;
  private static GatewaySystem system;

  @BeforeAll
  static void start(TestInfo info) {
    BusRouting routing = TestEnv.routing(info);
    system = GatewaySystem.start(TestEnv.testClass(info), env -> {
      env.put("BRIDGE_MAX_BUFFERED_BYTES", Integer.toString(MAX_BUFFERED_BYTES));
      env.put(BusRouting.KEY, routing.name());
    }, RateLimits.defaults(false));
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A socket whose client stopped reading is closed once its unsent frames pass BRIDGE_MAX_BUFFERED_BYTES; a reading member gets every message")
  void stalledReaderClosed() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    String thread = system.createThread(alice, "Slow", bob);
    String address = Addresses.thread(thread);
    double closedBefore = ChatMetrics.slowBridgeSockets().count();

    WebSocketClient client = system.vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096));
    WebSocket stalled = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(system.port)
        .setURI("/eventbus/websocket?access_token=" + system.token(bob))).await();
    awaitRegistered(stalled, address);
    try (BridgeClient reader = system.bridge(alice)) {
      reader.register(address);
      reader.awaitRegistered(system.vertx, address);
      stalled.pause();
      int liveBefore = connections();

      String body = "x".repeat(3_900);
      int sent = 0;
      ExecutorService senders = Executors.newFixedThreadPool(8);
      try {
        while (sent < MAX_MESSAGES && ChatMetrics.slowBridgeSockets().count() == closedBefore) {
          List<Future<?>> round = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            round.add(senders.submit(() -> system.sendMessage(alice, thread, body)));
          }
          for (Future<?> f : round) {
            f.get(30, TimeUnit.SECONDS);
          }
          sent += round.size();
        }
      } finally {
        senders.shutdownNow();
      }
      assertEquals(closedBefore + 1, ChatMetrics.slowBridgeSockets().count(), "closed after " + sent + " messages");
      assertTrue(awaitConnections(liveBefore - 1), "the stalled socket's connection is gone at once, though"
          + " its client reads nothing, not even the close frame");

      int expected = sent;
      reader.awaitMessage(address, b -> "message:new".equals(b.getString("type"))
          && b.getJsonObject("message").getLong("seq") == expected);
      long delivered = reader.received(address).stream().filter(b -> "message:new".equals(b.getString("type"))).count();
      assertEquals(sent, delivered, "the reading member received every message");
      assertFalse(reader.isClosed());
    } finally {
      client.close();
    }
  }

  /**
   * Registers the raw socket on {@code address} until a probe arrives there (a register is not
   * acknowledged, and its membership check may time out on a loaded machine), so it is live before it stalls.
   */
  private static void awaitRegistered(WebSocket socket, String address) {
    AtomicBoolean probed = new AtomicBoolean();
    String probe = UUID.randomUUID().toString();
    socket.handler(data -> probed.compareAndSet(false, data.toString().contains(probe)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BridgeClient.TIMEOUT_SECONDS);
    while (!probed.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the stalled socket's registration never became live");
      }
      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode()).await();
      for (int i = 0; i < 10 && !probed.get(); i++) {
        new BrowserEvents(system.vertx, BusRouting.DUAL).publish(new JsonObject().put("type", "probe").put("probe", probe),
            List.of(address));
        Await.pause(100);
      }
    }
  }

  private static int connections() {
    return (int) ChatMetrics.registry().get("chat_bridge_connections").gauge().value();
  }

  private static boolean awaitConnections(int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (connections() == expected) {
        return true;
      }
      Await.pause(100);
    }
    return false;
  }
}
