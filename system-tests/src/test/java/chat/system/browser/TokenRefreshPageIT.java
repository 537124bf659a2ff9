package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page with short-lived tokens (dev login hands out 12 s tokens): it gets a fresh token before each
 * expires and moves its bridge connection to it, so the user notices nothing and the other member never
 * sees them go offline, not even for a moment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRefreshPageIT {
  private static final int TOKEN_SECONDS = 12;

  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  private final List<HeadlessChromium> browsers = new ArrayList<>();
  private ChatPage alice;
  private ChatPage bob;

  @BeforeAll
  void start() {
    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", "1");
    env.put("DEV_TOKEN_TTL_SECONDS", String.valueOf(TOKEN_SECONDS));
    system = BrowserSystem.start(TokenRefreshPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    for (int i = 0; i < 2; i++) {
      browsers.add(system.launch());
    }
    alice = new ChatPage("alice", browsers.get(0));
    bob = new ChatPage("bob", browsers.get(1));
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("Across two token expiries the page keeps its connection, misses no message, and the other member never sees its user go offline")
  void tokensAreRefreshedWithoutAFlicker() {
    String baseUrl = "http://127.0.0.1:" + config.port();
    bob.logIn(baseUrl);
    alice.logIn(baseUrl);
    String threadId = alice.createThread("Refresh", "bob");
    bob.openThread(threadId);
    bob.until(d -> bob.online().contains("alice"));
    // Every value bob's presence line takes from now on, recorded in his page.
    bob.js("window.__online = []; new MutationObserver(function () {"
        + " window.__online.push(document.getElementById('presence').dataset.online || ''); })"
        + ".observe(document.getElementById('presence'), {attributes: true, childList: true, subtree: true});");
    String firstToken = token(alice);

    long end = System.currentTimeMillis() + (TOKEN_SECONDS * 2 + 2) * 1000L;
    int sent = 0;
    while (System.currentTimeMillis() < end) {
      bob.send("from bob " + sent);
      String body = "from bob " + sent;
      alice.until(d -> alice.bodies().contains(body));
      assertEquals("online", alice.connection(), "alice's page stays connected");
      sent++;
      sleep(1500);
    }
    assertNotEquals(firstToken, token(alice), "the page got a fresh token");
    alice.send("after the refreshes");
    bob.until(d -> bob.bodies().contains("after the refreshes"));

    @SuppressWarnings("unchecked")
    List<String> seen = (List<String>) bob.js("return window.__online;");
    assertTrue(seen.stream().allMatch(v -> v.contains("alice")), "alice never went offline for bob: " + seen);
    assertTrue(bob.online().contains("alice"));
  }

  private static String token(ChatPage page) {
    return (String) page.js("return JSON.parse(sessionStorage.getItem('chat.session')).token;");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
