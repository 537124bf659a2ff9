package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.examples.embedhost.EmbedHost;
import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The chat page inside a product (docs/embedding.md). The product is the example host
 * ({@code examples/embed-host}) on {@code http://localhost:<port>}, the chat gateway on
 * {@code http://127.0.0.1:<port>}: two origins, two sites. The gateway takes only the product's RS256
 * tokens (dev login off, {@code JWT_PUBLIC_KEY}), lets the product frame it ({@code EMBED_ORIGINS}) and names
 * a token endpoint ({@code TOKEN_ENDPOINT}), which is reached through a small same-origin proxy, as a product's
 * reverse proxy would route it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPageIT {
  private static final int TOKEN_SECONDS = 20;

  private Vertx vertx;
  private ChatConfig config;
  private EmbedHost host;
  private Path publicKey;
  private String chatUrl;
  private String hostUrl;
  private String proxyUrl;
  private String strangerUrl;
  private HeadlessChromium browser;
  private BrowserSystem system;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws IOException {
    EmbedHost.KeyPairPem keys = EmbedHost.KeyPairPem.generate();
    publicKey = Files.createTempFile("embed-host-public", ".pem");
    Files.writeString(publicKey, keys.publicKey());
    int hostPort = TestEnv.freePort();
    int proxyPort = TestEnv.freePort();
    int strangerPort = TestEnv.freePort();
    hostUrl = "http://localhost:" + hostPort;
    proxyUrl = "http://127.0.0.1:" + proxyPort;
    strangerUrl = "http://localhost:" + strangerPort;

    Map<String, String> env = new HashMap<>();
    env.put("VERTICLE_INSTANCES", "1");
    env.put("CHAT_DEV_LOGIN", "false");
    env.put("JWT_SECRET", null);
    env.put("JWT_PUBLIC_KEY", publicKey.toString());
    env.put("EMBED_ORIGINS", hostUrl);
    env.put("TOKEN_ENDPOINT", EmbedHost.TOKEN_PATH);
    system = BrowserSystem.start(EmbeddedPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    chatUrl = system.baseUrl();
    host = EmbedHost.start(vertx, new EmbedHost.Options("127.0.0.1", hostPort, chatUrl + "/", keys.privateKey(),
        TOKEN_SECONDS, null, null)).await();
    SameOriginProxy.start(vertx, proxyPort, config.port(), hostPort,
        path -> path.startsWith("/auth/") || path.equals("/login")).await();
    stranger(strangerPort);
  }

  /** A page on an origin EMBED_ORIGINS does not list: it tries to hand its opener's chat frame a token. */
  private void stranger(int port) {
    String html = """
        <!doctype html><title>stranger</title><script>
        var token = decodeURIComponent(location.hash.slice(1)), n = 0;
        var timer = setInterval(function () {
          opener.frames[0].postMessage({type: 'chat.token', token: token}, '*');
          document.title = 'posted ' + (++n);
          if (n === 20) clearInterval(timer);
        }, 100);
        </script>""";
    HttpServer server = vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("Content-Type", "text/html").end(html))
        .listen(port, "127.0.0.1").await();
    assertTrue(server.actualPort() == port);
  }

  @BeforeEach
  void openBrowser() {
    browser = HeadlessChromium.start(1200, 850);
  }

  @AfterEach
  void closeBrowser() {
    browser.quit();
  }

  @AfterAll
  void stop() throws IOException {
    if (system != null) {
      system.close();
    }
    Files.deleteIfExists(publicKey);
  }

  @Test
  @DisplayName("Embedded in the product on another origin, the page signs in with the product's 20 s tokens, renews them before expiry and loses no message while another user keeps sending")
  void embeddedPageRenewsTheProductsTokens() {
    String alice = user("alice");
    String bob = user("bob");
    ChatPage page = embedAs(alice);
    // Every state the connection indicator takes from now on: a token that ran out would show 'reconnecting'.
    page.js("window.__states = []; new MutationObserver(function () {"
        + " window.__states.push(document.getElementById('conn-status').dataset.state); })"
        + ".observe(document.getElementById('conn-status'), {attributes: true});");
    JsonObject thread = call("POST", bob, "/api/threads",
        new JsonObject().put("title", "Embedded").put("memberIds", new JsonArray().add(alice)));
    String threadId = thread.getString("id");
    page.openThread(threadId);

    List<String> sent = new ArrayList<>();
    long end = System.currentTimeMillis() + (TOKEN_SECONDS * 2 + 5) * 1000L;
    while (System.currentTimeMillis() < end) {
      String body = "from bob " + sent.size();
      call("POST", bob, "/api/threads/" + threadId + "/messages",
          new JsonObject().put("body", body).put("clientMessageId", "c" + sent.size()));
      sent.add(body);
      sleep(700);
    }
    page.until(d -> page.bodies().size() >= sent.size());
    assertEquals(sent, page.bodies(), "every message bob sent is on alice's screen, once, in order");
    assertTrue(host.tokensMinted(alice) >= 3, "the page asked the product for fresh tokens: " + host.tokensMinted(alice));
    assertEquals("online", page.connection());
    @SuppressWarnings("unchecked")
    List<String> states = (List<String>) page.js("return window.__states;");
    assertTrue(states.stream().allMatch("online"::equals), "the connection never dropped: " + states);

    page.send("alice after the renewals");
    page.until(d -> page.messages().contains(List.of("alice after the renewals", "sent")));
  }

  @Test
  @DisplayName("A chat.token posted to the embedded page by a window that is not its parent, from an unlisted origin, is ignored")
  void strangersTokensAreIgnored() {
    String dave = user("dave");
    ChatPage page = embedAs(dave);
    ChromeDriver driver = browser.driver();
    driver.switchTo().defaultContent();
    String hostWindow = driver.getWindowHandle();
    // A valid token of the product (for another user): only where it comes from makes it unacceptable.
    String malloryToken = host.token(user("mallory"));
    driver.executeScript("window.open(arguments[0], 'stranger');", strangerUrl + "/#" + malloryToken);
    String strangerWindow = page.until(d -> d.getWindowHandles().stream().filter(h -> !h.equals(hostWindow))
        .findFirst().orElse(null));
    driver.switchTo().window(strangerWindow);
    page.until(d -> "posted 20".equals(d.getTitle()));
    driver.close();
    driver.switchTo().window(hostWindow);
    driver.switchTo().frame(driver.findElement(By.id("chat")));
    sleep(1000);
    assertEquals(dave, page.js("return document.getElementById('me').dataset.userId;"));
    assertEquals("online", page.connection());
  }

  @Test
  @DisplayName("Served with TOKEN_ENDPOINT, the page is signed out without the product's session and signs in through the endpoint with it")
  void tokenEndpointSignsInWithTheProductsCookie() {
    String carol = user("carol");
    ChatPage page = new ChatPage(carol, browser);
    ChromeDriver driver = browser.driver();
    driver.get(proxyUrl + "/");
    page.until(d -> Boolean.TRUE.equals(page.js("return document.getElementById('app-view').hidden"
        + " && !document.getElementById('login-view').hidden"
        + " && document.getElementById('login-user').offsetParent === null")));
    sleep(500);
    assertEquals("", page.js("return document.getElementById('me').textContent;"), "no one is signed in");
    assertEquals(0, host.tokensMinted(carol));

    // The product's own login (its cookie is on the page's origin, as behind the product's reverse proxy).
    driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + " fetch('/login', {method: 'POST', body: new URLSearchParams({user: arguments[0]}), redirect: 'manual'})"
        + ".then(function () { done(); });", carol);
    driver.navigate().refresh();
    page.waitConnection("online");
    assertEquals(carol, page.js("return document.getElementById('me').dataset.userId;"));
    assertEquals(1, host.tokensMinted(carol));
    String threadId = page.createThread("Through the endpoint", "");
    page.send("hello from carol");
    page.until(d -> page.messages().contains(List.of("hello from carol", "sent")));
    assertTrue(threadId != null && !threadId.isEmpty());
  }

  @Test
  @DisplayName("A page on an origin EMBED_ORIGINS does not list cannot frame the chat page: the browser refuses to render it")
  void unlistedOriginsCannotFrameThePage() {
    ChromeDriver driver = browser.driver();
    driver.get(strangerUrl + "/");
    driver.executeScript("var f = document.createElement('iframe'); f.id = 'chat'; f.src = arguments[0];"
        + " document.body.appendChild(f);", chatUrl + "/");
    sleep(2000);
    driver.switchTo().frame(driver.findElement(By.id("chat")));
    assertTrue(driver.findElements(By.id("login-view")).isEmpty(), "the chat page did not render in the frame");
  }

  /** Logs in to the product as {@code userId} and returns the chat page in its frame, signed in. */
  private ChatPage embedAs(String userId) {
    ChromeDriver driver = browser.driver();
    ChatPage page = new ChatPage(userId, browser);
    driver.get(hostUrl + "/");
    WebElement login = page.until(d -> {
      WebElement e = d.findElement(By.id("login-user"));
      return e.isDisplayed() ? e : null;
    });
    login.sendKeys(userId);
    driver.findElement(By.id("login-submit")).click();
    WebElement frame = page.until(d -> {
      WebElement e = d.findElement(By.id("chat"));
      return e.isDisplayed() ? e : null;
    });
    driver.switchTo().frame(frame);
    page.waitConnection("online");
    page.until(d -> userId.equals(page.js("return document.getElementById('me').dataset.userId;")));
    return page;
  }

  /** An API call as {@code userId}, with a fresh token of the product. */
  private JsonObject call(String method, String userId, String path, JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(chatUrl + path))
        .header("Authorization", "Bearer " + host.token(userId)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String user(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
