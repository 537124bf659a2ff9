package chat.system.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page as one user sees it, driven through its stable ids and {@code data-test} attributes.
 * Reads go through the DOM's {@code textContent} (exact text, no whitespace folding) and every wait is
 * an explicit condition with a timeout.
 */
public final class ChatPage {
  public static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final String userId;
  private final HeadlessChromium browser;
  private final ChromeDriver driver;

  public ChatPage(String userId, HeadlessChromium browser) {
    this.userId = userId;
    this.browser = browser;
    this.driver = browser.driver();
  }

  public String userId() {
    return userId;
  }

  public HeadlessChromium browser() {
    return browser;
  }

  // ---- actions

  public ChatPage logIn(String baseUrl) {
    return logIn(baseUrl, "");
  }

  /** As {@link #logIn(String)}, with a query string for the page (for example {@code ?transports=xhr-polling}). */
  public ChatPage logIn(String baseUrl, String query) {
    driver.get(baseUrl + "/" + query);
    WebElement user = until(d -> visible(d.findElement(By.id("login-user"))));
    user.sendKeys(userId);
    driver.findElement(By.id("login-submit")).click();
    waitConnection("online");
    until(d -> Boolean.TRUE.equals(js("return !document.getElementById('app-view').hidden"
        + " && (document.querySelectorAll('#thread-list li').length > 0"
        + "     || !document.getElementById('no-threads').hidden)")));
    return this;
  }

  /** Creates a thread from the form; the page opens it. Returns its id. */
  public String createThread(String title, String memberIds) {
    driver.findElement(By.id("new-thread-title")).sendKeys(title);
    driver.findElement(By.id("new-thread-members")).sendKeys(memberIds);
    driver.findElement(By.id("new-thread-submit")).click();
    return until(d -> (String) js("var a = document.querySelector('#thread-list .thread-item.active');"
        + " return a && document.getElementById('thread-title').textContent === arguments[0]"
        + " ? a.dataset.threadId : null;", title));
  }

  public void openThread(String threadId) {
    // The list re-renders on live updates (badges, last message): find and click in one retried step,
    // so an element replaced in between is looked up again instead of failing as stale.
    until(d -> {
      WebElement item = visible(threadItem(threadId));
      if (item == null) {
        return false;
      }
      item.click();
      return true;
    });
    until(d -> Boolean.TRUE.equals(js("return !document.getElementById('thread-pane').hidden"
        + " && document.querySelector('#thread-list .thread-item.active') !== null"
        + " && document.querySelector('#thread-list .thread-item.active').dataset.threadId === arguments[0]"
        + " && document.getElementById('history-status').textContent.indexOf('Loading') < 0", threadId)));
  }

  public void leaveThread() {
    driver.findElement(By.id("back-button")).click();
    until(d -> Boolean.TRUE.equals(js("return document.getElementById('thread-pane').hidden")));
  }

  /** Types into the composer without sending. */
  public void type(String text) {
    driver.findElement(By.id("composer-input")).sendKeys(text);
  }

  /** Types a message and presses Enter. */
  public void send(String text) {
    WebElement input = driver.findElement(By.id("composer-input"));
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  /** Sets the composer's text in one go (for text that keyboard emulation would mangle) and clicks Send. */
  public void sendVerbatim(String text) {
    js("var i = document.getElementById('composer-input'); i.value = arguments[0];"
        + " i.dispatchEvent(new Event('input'));", text);
    driver.findElement(By.id("send-button")).click();
  }

  /** Picks files in the composer's file chooser (the hidden input the Attach button opens). */
  public void attach(java.nio.file.Path... files) {
    js("document.getElementById('attach-input').hidden = false;");
    driver.findElement(By.id("attach-input")).sendKeys(String.join("\n",
        java.util.Arrays.stream(files).map(f -> f.toAbsolutePath().toString()).toList()));
    js("document.getElementById('attach-input').hidden = true;");
  }

  /** Edits one's own shown message whose body is {@code body} through its Edit button and form. */
  public void editMessage(String body, String newBody) {
    until(d -> Boolean.TRUE.equals(js(MESSAGE_BY_BODY + " if (!li) return false;"
        + " li.querySelector('[data-test=edit]').click();"
        + " var input = li.querySelector('[data-test=edit-input]'); if (!input) return false;"
        + " input.value = arguments[1]; li.querySelector('[data-test=edit-save]').click(); return true;", body, newBody)));
  }

  /** Deletes the shown message whose body is {@code body}: Delete, then Delete? to confirm. */
  public void deleteMessage(String body) {
    until(d -> Boolean.TRUE.equals(js(MESSAGE_BY_BODY + " if (!li) return false;"
        + " var b = li.querySelector('[data-test=delete]'); b.click(); b.click(); return true;", body)));
  }

  /** The bodies of the shown messages marked "(edited)". */
  @SuppressWarnings("unchecked")
  public List<String> editedBodies() {
    return (List<String>) js("return Array.from(document.querySelectorAll('#message-list > li'))"
        + ".filter(function (li) { return li.querySelector('[data-test=edited]'); })"
        + ".map(function (li) { return li.querySelector('[data-test=message-body]').textContent; });");
  }

  private static final String MESSAGE_BY_BODY = "var want = arguments[0];"
      + " var li = Array.from(document.querySelectorAll('#message-list > li'))"
      + ".find(function (x) { return x.dataset.state === 'sent'"
      + " && x.querySelector('[data-test=message-body]').textContent === want; });";

  public void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  public void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- reads

  /** Bodies of the shown messages, top to bottom, as {@code [body, state]} (state: sent, pending, failed). */
  @SuppressWarnings("unchecked")
  public List<List<String>> messages() {
    return (List<List<String>>) js("return Array.from(document.querySelectorAll('#message-list > li'))"
        + ".map(function (li) { return [li.querySelector('[data-test=message-body]').textContent, li.dataset.state]; });");
  }

  public List<String> bodies() {
    return messages().stream().map(m -> m.get(0)).toList();
  }

  /** The unread badge of a thread in the list: 0 when hidden, -1 when the thread is not listed. */
  public long badge(String threadId) {
    Object v = js("var li = document.querySelector('#thread-list li[data-thread-id=\"' + arguments[0] + '\"]');"
        + " if (!li) return -1; var b = li.querySelector('[data-test=unread-badge]');"
        + " return b.hidden ? 0 : Number(b.textContent);", threadId);
    return ((Number) v).longValue();
  }

  public String title() {
    return driver.getTitle();
  }

  public String connection() {
    return driver.findElement(By.id("conn-status")).getDomAttribute("data-state");
  }

  public List<String> online() {
    return csv((String) js("return document.getElementById('presence').dataset.online || ''"));
  }

  public List<String> typing() {
    return csv((String) js("var t = document.getElementById('typing'); return t.hidden ? '' : (t.dataset.userIds || '')"));
  }

  public List<String> seenBy() {
    return csv((String) js("var s = document.getElementById('seen-by'); return s.hidden ? '' : (s.dataset.userIds || '')"));
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  // ---- waits

  public void waitConnection(String state) {
    until(d -> Objects.equals(connection(), state) ? Boolean.TRUE : null);
  }

  public <T> T until(Function<WebDriver, T> condition) {
    return until(WAIT, condition);
  }

  public <T> T until(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .withMessage(() -> userId + "'s page: " + describe())
        .until(d -> {
          T v = condition.apply(d);
          return v instanceof Boolean b && !b ? null : v;
        });
  }

  /** A one-line state dump for failure messages. */
  public String describe() {
    try {
      return Map.of(
          "connection", String.valueOf(connection()),
          "title", title(),
          "messages", messages().toString(),
          "online", online().toString(),
          "typing", typing().toString(),
          "seenBy", seenBy().toString(),
          "error", String.valueOf(js("var e = document.getElementById('error-banner'); return e.hidden ? '' : e.textContent")))
          .toString();
    } catch (RuntimeException e) {
      return "(state unavailable: " + e.getMessage() + ")";
    }
  }

  private WebElement threadItem(String threadId) {
    return driver.findElement(By.cssSelector("#thread-list li[data-thread-id='" + threadId + "']"));
  }

  private static WebElement visible(WebElement e) {
    return e.isDisplayed() ? e : null;
  }

  private static List<String> csv(String s) {
    return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
  }
}
