package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The web page in headless Chromium against the whole system in one process (messaging, unread,
 * in-memory presence and the gateway with dev login, on the real Postgres in this class's own schema).
 * Alice and Bob are two separate browser sessions. The tests form one conversation and run in order;
 * screenshots of the main views land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatPageIT {
  private static final String XSS = "<script>window.__x=1</script><img src=x onerror=\"window.__y=1\">";

  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  /** Two instances, as on a 2-core machine: an xhr session's requests may land on either event loop. */
  private static final int GATEWAY_INSTANCES = 2;
  private String baseUrl;
  private ChatPage alice;
  private ChatPage bob;
  private String threadId;
  private java.nio.file.Path files;

  @RegisterExtension
  final TestWatcher failureEvidence = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      String name = "FAILED-" + context.getRequiredTestMethod().getName();
      for (ChatPage page : new ChatPage[] {alice, bob}) {
        if (page != null) {
          try {
            page.screenshot(name + "-" + page.userId());
            System.err.println(page.userId() + "'s page: " + page.describe());
            System.err.println(page.userId() + "'s console:\n" + page.browser().consoleLog());
          } catch (RuntimeException e) {
            System.err.println("no evidence from " + page.userId() + ": " + e);
          }
        }
      }
    }
  };

  @BeforeAll
  void startSystemAndBrowsers() {
    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", String.valueOf(GATEWAY_INSTANCES));
    try {
      files = java.nio.file.Files.createTempDirectory("chat-page-it");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    env.put("ATTACHMENT_DIR", files.resolve("store").toString());
    system = BrowserSystem.start(ChatPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    baseUrl = "http://127.0.0.1:" + config.port();
    alice = new ChatPage("alice", launch());
    bob = new ChatPage("bob", launch());
  }

  private HeadlessChromium launch() {
    HeadlessChromium browser = system.launch(1200, 850);
    return browser;
  }

  @AfterAll
  void stopEverything() {
    if (system != null) {
      system.close();
    }
    if (files != null) {
      try (var all = java.nio.file.Files.walk(files)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        System.err.println("cleanup: " + e);
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("Two people log in in separate browsers; Alice creates a thread with Bob and her messages show at once and then as sent")
  void logInCreateThreadAndSend() {
    bob.logIn(baseUrl);
    bob.screenshot("01-bob-empty-thread-list");
    alice.logIn(baseUrl);
    threadId = alice.createThread("Weekend plans", "bob");

    alice.send("Hi Bob, are you around?");
    alice.until(d -> alice.messages().equals(List.of(List.of("Hi Bob, are you around?", "sent"))));
    assertEquals("Chat", alice.title(), "own messages never count as unread");
  }

  @Test
  @Order(2)
  @DisplayName("Bob's unread badge and the page title rise with Alice's messages and clear when he opens the thread")
  void badgeRisesAndClearsOnRead() {
    bob.until(d -> bob.badge(threadId) == 1);
    assertEquals("(1) Chat", bob.title());
    alice.send("Hiking on Saturday?");
    bob.until(d -> bob.badge(threadId) == 2 && bob.title().equals("(2) Chat"));
    bob.screenshot("02-bob-thread-list-with-badge");

    bob.openThread(threadId);
    bob.until(d -> bob.bodies().equals(List.of("Hi Bob, are you around?", "Hiking on Saturday?")));
    bob.until(d -> bob.badge(threadId) == 0 && bob.title().equals("Chat"));
    alice.until(d -> alice.seenBy().equals(List.of("bob")));
    alice.screenshot("03-alice-thread-seen-by-bob");
  }

  @Test
  @Order(3)
  @DisplayName("Alice sees Bob arrive in the thread, leave it, and come back")
  void presenceShowsArrivalsAndDepartures() {
    alice.until(d -> alice.online().contains("bob") && alice.online().contains("alice"));
    bob.until(d -> bob.online().contains("alice"));
    bob.leaveThread();
    alice.until(d -> alice.online().equals(List.of("alice")));
    bob.openThread(threadId);
    alice.until(d -> alice.online().contains("bob"));
  }

  @Test
  @Order(4)
  @DisplayName("While Bob types Alice sees 'Bob is typing', and it goes away when he sends and when he stops typing")
  void typingShowsAndGoesAway() {
    bob.type("Sounds good, ");
    alice.until(d -> alice.typing().equals(List.of("bob")));
    assertTrue(bob.typing().isEmpty(), "nobody is shown typing to themselves");
    alice.screenshot("04-alice-sees-bob-typing");
    bob.send("let's go at nine");
    alice.until(d -> {
      List<String> bodies = alice.bodies();
      return alice.typing().isEmpty() && bodies.get(bodies.size() - 1).equals("Sounds good, let's go at nine");
    });

    bob.type("one more thing");
    alice.until(d -> alice.typing().equals(List.of("bob")));
    alice.until(java.time.Duration.ofSeconds(10), d -> alice.typing().isEmpty());
  }

  @Test
  @Order(5)
  @DisplayName("A message containing <script> and <img onerror> is shown as plain text and nothing in it runs")
  void markupInMessagesIsText() {
    alice.sendVerbatim(XSS);
    for (ChatPage page : List.of(alice, bob)) {
      page.until(d -> page.messages().contains(List.of(XSS, "sent")));
      assertEquals(Boolean.TRUE, page.js("return window.__x === undefined && window.__y === undefined"),
          "no script from a message ran on " + page.userId() + "'s page");
      assertEquals(0L, page.js("return document.querySelectorAll("
          + "'#message-list script, #message-list img, #thread-list script, #thread-list img').length"));
    }
    bob.screenshot("05-bob-markup-shown-as-text");
    for (ChatPage page : List.of(alice, bob)) {
      String console = page.browser().consoleLog();
      assertTrue(!console.contains("Content Security Policy") && !console.contains("Refused to"),
          "the page runs under its CSP without violations on " + page.userId() + "'s browser: " + console);
    }
  }

  @Test
  @Order(6)
  @DisplayName("After the server drops every connection, messages sent meanwhile appear exactly once when the pages reconnect")
  void reconnectCatchesUp() {
    system.stopGateway();
    alice.waitConnection("reconnecting");
    bob.waitConnection("reconnecting");
    alice.screenshot("06-alice-reconnecting");

    Bus bus = new Bus(vertx, 5000);
    List<String> sentMeanwhile = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String body = "Sent while you were away #" + i;
      bus.request(Addresses.MESSAGE_SEND, new JsonObject().put("userId", "bob").put("threadId", threadId)
          .put("body", body).put("clientMessageId", UUID.randomUUID().toString())).await();
      sentMeanwhile.add(body);
    }
    alice.send("Typed while offline");
    alice.until(d -> alice.messages().contains(List.of("Typed while offline", "pending")));

    system.startGateway();
    alice.until(java.time.Duration.ofSeconds(30), d -> "online".equals(alice.connection()));
    bob.until(java.time.Duration.ofSeconds(30), d -> "online".equals(bob.connection()));

    List<String> expectedTail = new ArrayList<>(sentMeanwhile);
    expectedTail.add("Typed while offline");
    for (ChatPage page : List.of(alice, bob)) {
      page.until(java.time.Duration.ofSeconds(30), d -> {
        List<List<String>> shown = page.messages();
        List<String> bodies = shown.stream().map(m -> m.get(0)).toList();
        return bodies.size() >= expectedTail.size()
            && bodies.subList(bodies.size() - expectedTail.size(), bodies.size()).equals(expectedTail)
            && shown.stream().allMatch(m -> m.get(1).equals("sent"));
      });
      List<String> bodies = page.bodies();
      assertEquals(bodies.size(), bodies.stream().distinct().count(),
          "no message is shown twice on " + page.userId() + "'s page: " + bodies);
    }
    alice.until(d -> alice.online().contains("bob"));
    alice.screenshot("07-alice-after-reconnect");
  }

  @Test
  @Order(7)
  @DisplayName("A long thread opens at its newest messages and scrolling up loads older pages until the first message")
  void scrollingUpLoadsOlderPages() {
    Bus bus = new Bus(vertx, 5000);
    String longThread = bus.request(Addresses.THREAD_CREATE, new JsonObject().put("userId", "bob")
        .put("title", "Long history").put("memberIds", new io.vertx.core.json.JsonArray().add("alice")))
        .await().getString("id");
    int total = 120;
    for (int i = 1; i <= total; i++) {
      bus.request(Addresses.MESSAGE_SEND, new JsonObject().put("userId", "bob").put("threadId", longThread)
          .put("body", "History line " + i)).await();
    }
    alice.until(d -> alice.badge(longThread) == total);
    alice.openThread(longThread);
    alice.until(d -> alice.bodies().size() == 50 && alice.bodies().get(49).equals("History line " + total));
    alice.until(d -> alice.badge(longThread) == 0);
    for (int shown : new int[] {100, total}) {
      alice.js("document.getElementById('messages').scrollTop = 0;");
      alice.until(d -> alice.bodies().size() == shown);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      expected.add("History line " + i);
    }
    assertEquals(expected, alice.bodies(), "every message once, oldest first");
    alice.until(d -> "false".equals(alice.js("return document.getElementById('history-status').dataset.hasMore")));
    alice.js("document.getElementById('messages').scrollTop = 0;");
    alice.screenshot("08-alice-top-of-long-history");
  }

  @Test
  @Order(8)
  @DisplayName("On a phone-sized screen the open thread fills the screen and the back button returns to the thread list")
  void phoneLayout() {
    bob.resize(390, 800);
    bob.until(d -> Boolean.TRUE.equals(bob.js("return getComputedStyle(document.getElementById('thread-panel')).display === 'none'"
        + " && getComputedStyle(document.getElementById('thread-view')).display !== 'none'")));
    bob.screenshot("09-bob-phone-thread");
    bob.leaveThread();
    bob.until(d -> Boolean.TRUE.equals(bob.js("return getComputedStyle(document.getElementById('thread-panel')).display !== 'none'")));
    bob.screenshot("10-bob-phone-thread-list");
  }

  @Test
  @Order(9)
  @DisplayName("Behind a proxy without WebSockets (SockJS xhr-polling), Carol's messages and Alice's reach each other live")
  void xhrPollingFallback() {
    ChatPage carol = new ChatPage("carol", launch());
    carol.logIn(baseUrl, "?transports=xhr-polling");
    assertEquals("xhr-polling", carol.js("return document.documentElement.dataset.transport"));
    String fallback = carol.createThread("No WebSockets here", "alice");
    carol.send("Sent over long polling");
    carol.until(d -> carol.messages().equals(List.of(List.of("Sent over long polling", "sent"))));

    alice.openThread(fallback);
    alice.until(d -> alice.bodies().equals(List.of("Sent over long polling")));
    alice.send("And this came back the same way");
    carol.until(d -> carol.bodies().equals(List.of("Sent over long polling", "And this came back the same way")));
    carol.until(d -> carol.online().contains("alice"));
  }

  @Test
  @Order(10)
  @DisplayName("Alice's edit and delete appear live on Bob's page, and those made while his page was offline appear after it reconnects")
  void editsAndDeletesLiveAndAfterReconnect() {
    String deleted = "This message was deleted.";
    bob.resize(1200, 850);
    String thread = alice.createThread("Edits and deletes", "bob");
    for (String body : List.of("Lunch at noon?", "secret plan", "see you")) {
      alice.send(body);
    }
    alice.until(d -> alice.bodies().equals(List.of("Lunch at noon?", "secret plan", "see you")));
    bob.openThread(thread);
    bob.until(d -> bob.bodies().equals(List.of("Lunch at noon?", "secret plan", "see you")));
    assertEquals(0L, bob.js("return document.querySelectorAll('#message-list [data-test=edit]').length"),
        "no Edit on others' messages");

    alice.editMessage("Lunch at noon?", "Lunch at one?");
    alice.deleteMessage("secret plan");
    bob.until(d -> bob.bodies().equals(List.of("Lunch at one?", deleted, "see you"))
        && bob.editedBodies().equals(List.of("Lunch at one?")));
    alice.until(d -> alice.bodies().equals(List.of("Lunch at one?", deleted, "see you")));
    bob.screenshot("11-bob-sees-edit-and-delete");

    system.stopGateway();
    bob.waitConnection("reconnecting");
    Bus bus = new Bus(vertx, 5000);
    Map<String, String> ids = new HashMap<>();
    for (Object o : bus.request(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "alice").put("threadId", thread))
        .await().getJsonArray("messages")) {
      JsonObject m = (JsonObject) o;
      ids.put(m.getString("body"), m.getString("id"));
    }
    bus.request(Addresses.MESSAGE_EDIT, new JsonObject().put("userId", "alice").put("threadId", thread)
        .put("messageId", ids.get("see you")).put("body", "see you there")).await();
    bus.request(Addresses.MESSAGE_DELETE, new JsonObject().put("userId", "alice").put("threadId", thread)
        .put("messageId", ids.get("Lunch at one?"))).await();

    system.startGateway();
    bob.until(java.time.Duration.ofSeconds(30), d -> "online".equals(bob.connection()));
    bob.until(java.time.Duration.ofSeconds(30), d -> bob.bodies().equals(List.of(deleted, deleted, "see you there"))
        && bob.editedBodies().equals(List.of("see you there")));
    bob.screenshot("12-bob-caught-up-on-changes");
  }

  @Test
  @Order(11)
  @DisplayName("Alice attaches an image and a PDF and sends them without text; Bob sees the image as a thumbnail and downloads the PDF")
  void imageAndPdf() throws java.io.IOException {
    bob.resize(1200, 850);
    String thread = alice.createThread("Files", "bob");
    java.nio.file.Path png = files.resolve("photo.png");
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 40; x++) {
      for (int y = 0; y < 30; y++) {
        image.setRGB(x, y, 0x2a6fdb + x * 3);
      }
    }
    javax.imageio.ImageIO.write(image, "png", png.toFile());
    java.nio.file.Path pdf = files.resolve("minutes.pdf");
    java.nio.file.Files.writeString(pdf, "%PDF-1.4\n% minutes of the meeting\n%%EOF\n");

    alice.attach(png, pdf);
    alice.until(d -> Long.valueOf(2).equals(alice.js(
        "return document.querySelectorAll('#attach-list [data-test=upload][data-state=ready]').length")));
    alice.screenshot("12-alice-attachments-ready");
    alice.sendVerbatim("");
    alice.until(d -> Long.valueOf(0).equals(alice.js("return document.querySelectorAll('#attach-list li').length")));

    bob.openThread(thread);
    bob.until(d -> Boolean.TRUE.equals(bob.js("var img = document.querySelector('#message-list [data-test=attachment-image]');"
        + " return !!img && img.complete && img.naturalWidth === 40 && img.naturalHeight === 30;")));
    assertEquals("minutes.pdf (" + java.nio.file.Files.size(pdf) + " B)",
        bob.js("return document.querySelector('#message-list [data-test=attachment-file]').textContent"));
    Object download = bob.js("var a = document.querySelector('#message-list [data-test=attachment-file]');"
        + " return fetch(a.href).then(function (r) { return r.text().then(function (t) {"
        + " return r.status + '|' + r.headers.get('content-disposition') + '|' + t; }); });");
    assertEquals("200|attachment; filename=\"minutes.pdf\"; filename*=UTF-8''minutes.pdf|"
        + java.nio.file.Files.readString(pdf), download);
    bob.screenshot("13-bob-sees-thumbnail-and-pdf");
  }
}
