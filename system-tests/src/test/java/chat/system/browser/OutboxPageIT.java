package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page's outbox: a message written while the gateway is unreachable is kept in localStorage, survives
 * the page being closed and opened again, and is sent when the connection is back, exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxPageIT {
  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  private String baseUrl;

  @BeforeAll
  void start() {
    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", "1");
    system = BrowserSystem.start(OutboxPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    baseUrl = "http://127.0.0.1:" + config.port();
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A message written while the gateway is down survives a reload and reaches the other member exactly once when the page is back online")
  void offlineMessageSurvivesAReload() {
    ChatPage alice = page("alice").logIn(baseUrl);
    ChatPage bob = page("bob").logIn(baseUrl);
    String thread = alice.createThread("Offline", "bob");
    alice.send("before");
    bob.openThread(thread);
    bob.until(d -> bob.bodies().equals(List.of("before")));

    system.stopGateway();
    alice.waitConnection("reconnecting");
    alice.send("written offline");
    alice.until(d -> alice.messages().contains(List.of("written offline", "pending")));
    alice.until(d -> Boolean.TRUE.equals(alice.js("return (localStorage.getItem('chat.outbox.alice') || '')"
        + ".indexOf('written offline') >= 0")));
    // The page goes away with the message unsent (a reload while the server is unreachable).
    alice.browser().driver().get("about:blank");

    system.startGateway();
    bob.until(Duration.ofSeconds(30), d -> "online".equals(bob.connection()));
    alice.browser().driver().get(baseUrl + "/");
    alice.until(Duration.ofSeconds(30), d -> "online".equals(alice.connection()));

    bob.until(Duration.ofSeconds(30), d -> bob.bodies().equals(List.of("before", "written offline")));
    alice.openThread(thread);
    alice.until(d -> alice.messages().equals(List.of(List.of("before", "sent"), List.of("written offline", "sent"))));
    alice.until(d -> Boolean.TRUE.equals(alice.js("return localStorage.getItem('chat.outbox.alice') === null")));

    Bus bus = new Bus(vertx, 5000);
    long stored = bus.request(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "bob").put("threadId", thread))
        .await().getJsonArray("messages").stream()
        .filter(m -> "written offline".equals(((JsonObject) m).getString("body"))).count();
    assertEquals(1, stored, "the store has the offline message once");
    assertEquals(List.of("before", "written offline"), bob.bodies(), "bob sees it once");
  }

  private ChatPage page(String user) {
    HeadlessChromium browser = system.launch(1200, 850);
    return new ChatPage(user, browser);
  }
}
