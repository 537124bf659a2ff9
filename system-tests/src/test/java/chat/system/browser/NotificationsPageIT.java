package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Desktop notifications and mentions on the page. Chromium grants the permission through the DevTools
 * protocol ({@code Browser.grantPermissions}), and a script installed before the page's own
 * ({@code Page.addScriptToEvaluateOnNewDocument}) wraps {@code window.Notification} so every notification
 * the page constructs is recorded in {@code window.__notifications} (and still shown).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsPageIT {
  static final String RECORD_NOTIFICATIONS = """
      (function () {
        var Real = window.Notification;
        if (!Real || window.top !== window) return;
        window.__notifications = [];
        class Recorded extends Real {
          constructor(title, options) {
            window.__notifications.push({ title: String(title), body: (options && options.body) || '' });
            super(title, options);
          }
        }
        window.Notification = Recorded;
      })();
      """;

  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  private String baseUrl;
  private Bus bus;

  @BeforeAll
  void start() {
    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", "1");
    system = BrowserSystem.start(NotificationsPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    baseUrl = "http://127.0.0.1:" + config.port();
    bus = new Bus(vertx, 10_000);
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A message in a thread not on screen raises one notification titled with the thread and author; a muted thread raises none unless the message mentions the user, and the mention is highlighted")
  void notificationsAndMentions() throws Exception {
    signIn("alice", "Alice");
    String planning = thread("Planning");
    String random = thread("Random");
    HeadlessChromium browser = system.launch(1200, 850);
    browser.driver().executeCdpCommand("Browser.grantPermissions",
        Map.of("origin", baseUrl, "permissions", List.of("notifications")));
    browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_NOTIFICATIONS));
    ChatPage bob = new ChatPage("bob", browser).logIn(baseUrl);
    assertEquals("granted", bob.js("return Notification.permission"));
    bob.openThread(planning);

    send(planning, "on screen: no notification");
    bob.until(d -> bob.bodies().contains("on screen: no notification"));
    send(random, "lunch anyone?");
    bob.until(d -> bob.badge(random) == 1);
    bob.until(d -> notifications(bob).size() == 1);
    assertEquals(List.of(Map.of("title", "Random: Alice", "body", "lunch anyone?")), notifications(bob));

    // Bob mutes Random from its members panel, then goes back to Planning.
    bob.openThread(random);
    bob.js("document.getElementById('manage-button').click()");
    bob.until(d -> Boolean.TRUE.equals(bob.js("return document.querySelectorAll('#member-list li').length === 2")));
    bob.js("document.getElementById('mute-toggle').click()");
    bob.until(d -> Boolean.TRUE.equals(bob.js("var li = document.querySelector('#thread-list li[data-thread-id=\"'"
        + " + arguments[0] + '\"]'); return !!li && li.classList.contains('muted')", random)));
    bob.openThread(planning);

    send(random, "muted: no notification");
    bob.until(d -> bob.badge(random) == 1 && threadPreview(bob, random).endsWith("muted: no notification"));
    send(random, "@bob can you book it?");
    bob.until(d -> threadPreview(bob, random).endsWith("@bob can you book it?"));
    bob.until(d -> notifications(bob).size() == 2);
    assertEquals(Map.of("title", "Random: Alice", "body", "@bob can you book it?"), notifications(bob).get(1),
        "a mention notifies even in a muted thread");

    bob.openThread(random);
    bob.until(d -> Boolean.TRUE.equals(bob.js("var s = document.querySelector('#message-list [data-test=mention]');"
        + " return !!s && s.dataset.userId === 'bob' && s.textContent === '@bob' && s.classList.contains('mention-me')"
        + " && s.parentElement.textContent === '@bob can you book it?'")));
    assertEquals(2, notifications(bob).size(), "nothing else notified");
  }

  /** The user's row (and display name) exists once a token of theirs has been used. */
  private void signIn(String userId, String name) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String token = new JsonObject(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/dev/token"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", userId).put("name", name).encode()))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getString("token");
    int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/threads"))
        .header("Authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(200, status);
  }

  private String thread(String title) {
    return bus.request(Addresses.THREAD_CREATE, new JsonObject().put("userId", "alice").put("title", title)
        .put("memberIds", new JsonArray().add("bob"))).await().getString("id");
  }

  private void send(String thread, String body) {
    bus.request(Addresses.MESSAGE_SEND, new JsonObject().put("userId", "alice").put("threadId", thread).put("body", body))
        .await();
  }

  private static String threadPreview(ChatPage page, String thread) {
    return (String) page.js("var li = document.querySelector('#thread-list li[data-thread-id=\"' + arguments[0] + '\"]');"
        + " return li ? li.querySelector('.thread-item-preview').textContent : ''", thread);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> notifications(ChatPage page) {
    return (List<Map<String, Object>>) page.js("return window.__notifications || []");
  }
}
