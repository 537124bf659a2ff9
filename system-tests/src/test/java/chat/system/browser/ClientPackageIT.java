package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client library from its packed tarball, installed into a fixture project and driving a second,
 * minimal UI in Chromium: the fixture is served from its own origin (the gateway allows it by
 * CORS_ORIGINS), loads the package through an import map from its node_modules, and two users talk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPackageIT {
  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  private Path work;
  private Vertx fixtureVertx;
  private HttpServer fixtureServer;
  private String fixtureOrigin;

  @BeforeAll
  void start() throws IOException {
    work = Files.createTempDirectory("chat-client-package");
    Path project = WebFixture.install(work);
    fixtureVertx = Vertx.vertx();
    Router router = Router.router(fixtureVertx);
    // The peers as the gateway vendors them (the same npm packages), next to the fixture's own files.
    router.get("/vendor/*").handler(StaticHandler.create("webroot/vendor"));
    router.get("/*").handler(StaticHandler.create(io.vertx.ext.web.handler.FileSystemAccess.ROOT, project.toString())
        .setCachingEnabled(false));
    fixtureServer = fixtureVertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    fixtureOrigin = "http://127.0.0.1:" + fixtureServer.actualPort();

    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", "1");
    env.put("CORS_ORIGINS", fixtureOrigin);
    system = BrowserSystem.start(ClientPackageIT.class, env);
    config = system.config();
    vertx = system.vertx();
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.close();
    }
    if (fixtureVertx != null) {
      fixtureVertx.close().await();
    }
    WebFixture.delete(work);
  }

  @Test
  @DisplayName("A UI built on the npm package: Alice creates a thread and sends, Bob's badge rises, he opens the thread and sees her message, and his reply reaches her live")
  void twoUsersOnThePackage() {
    ChatPage alice = open("alice");
    ChatPage bob = open("bob");
    String thread = (String) alice.js("return window.fixture.createThread('From the package', ['bob'])");
    alice.js("return window.fixture.open(arguments[0])", thread);
    alice.js("window.fixture.send(arguments[0], 'Hello from the tarball')", thread);

    bob.until(d -> "1".equals(bob.js("var li = document.querySelector('#badges li[data-thread-id=\"' + arguments[0] + '\"]');"
        + " return li && li.textContent", thread)));
    assertEquals(1L, bob.js("return window.fixture.open(arguments[0])", thread));
    bob.until(d -> lines(bob).equals(List.of("alice: Hello from the tarball")));

    bob.js("window.fixture.send(arguments[0], 'Got it')", thread);
    alice.until(d -> lines(alice).equals(List.of("alice: Hello from the tarball", "bob: Got it")));
    bob.until(d -> lines(bob).equals(List.of("alice: Hello from the tarball", "bob: Got it")));
    assertEquals(0L, alice.js("return JSON.parse(localStorage.getItem('chat.outbox.alice') || '[]').length"),
        "the outbox is empty once the server acknowledged the message");
  }

  @Test
  @DisplayName("The library's own tests pass under node (mentions, the notification rule, the outbox across a reload and across tabs)")
  void libraryUnitTests() {
    String report = WebFixture.unitTests();
    assertTrue(report.contains("# fail 0"), report);
  }

  private ChatPage open(String user) {
    HeadlessChromium browser = system.launch(1000, 700);
    ChatPage page = new ChatPage(user, browser);
    browser.driver().get(fixtureOrigin + "/?gateway=" + "http://127.0.0.1:" + config.port() + "&user=" + user);
    try {
      page.until(d -> "online".equals(page.js("return document.getElementById('state').textContent")));
    } catch (RuntimeException e) {
      throw new AssertionError(user + "'s fixture never got online; console:\n" + browser.consoleLog(), e);
    }
    return page;
  }

  @SuppressWarnings("unchecked")
  private static List<String> lines(ChatPage page) {
    return (List<String>) page.js("return Array.from(document.querySelectorAll('#messages li')).map(function (li) { return li.textContent; })");
  }
}
