package chat.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.model.ThreadSummary;
import chat.shared.protocol.Messaging;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 20 in headless Chromium against the whole system in one process: the thread list's pages (and the
 * request loop it once had), and threads managed from the page, live on the other members' pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadsPageIT {
  private BrowserSystem system;
  private Vertx vertx;
  private ChatConfig config;
  private Bus bus;
  private String baseUrl;

  @BeforeAll
  void startSystem() {
    Map<String, String> env = new HashMap<>();
    system = BrowserSystem.start(ThreadsPageIT.class, env);
    config = system.config();
    vertx = system.vertx();
    bus = new Bus(vertx, 10_000);
    baseUrl = "http://127.0.0.1:" + config.port();
  }

  private ChatPage page(String userId) {
    HeadlessChromium browser = system.launch(1200, 850);
    return new ChatPage(userId, browser);
  }

  @AfterAll
  void stopEverything() {
    if (system != null) {
      system.close();
    }
  }

  private String thread(String creator, String title, String... members) {
    ThreadSummary t = bus.request(Messaging.THREAD_CREATE, new Messaging.CreateThread(creator, title, List.of(members))).await();
    return t.id();
  }

  /** The page's API requests so far (the Resource Timing entries of /api/ calls). */
  private static long apiRequests(ChatPage page) {
    return ((Number) page.js("return performance.getEntriesByType('resource')"
        + ".filter(function (e) { return e.name.indexOf('/api/') >= 0; }).length")).longValue();
  }

  @Test
  @DisplayName("A user in 151 threads whose unread one lies beyond the first page: the idle page sends no requests, the title counts that thread, and scrolling the list loads it with its badge")
  void manyThreadsIdlePage() {
    String unread = thread("pat", "The old one", "quinn");
    bus.request(Messaging.MESSAGE_SEND, new Messaging.SendMessage("pat", unread, "still there?", null)).await();
    for (int i = 0; i < 150; i++) {
      thread("pat", "Newer " + i, "quinn");
    }
    ChatPage quinn = page("quinn");
    quinn.logIn(baseUrl);
    quinn.until(d -> quinn.title().equals("(1) Chat"));
    assertEquals(-1L, quinn.badge(unread), "the unread thread is not on the first page");
    assertEquals(100L, quinn.js("return document.querySelectorAll('#thread-list li').length"));

    // the buffer holds 250 entries: cleared after the page settled, a loop of ~70 a second shows in 3 s
    sleep(1000);
    quinn.js("performance.clearResourceTimings()");
    sleep(3000);
    long idle = apiRequests(quinn);
    assertEquals(0L, idle, "the idle page sent " + idle + " requests in 3 s");
    assertEquals("(1) Chat", quinn.title());

    quinn.until(d -> {
      quinn.js("var l = document.getElementById('thread-list'); l.scrollTop = l.scrollHeight;"
          + " l.dispatchEvent(new Event('scroll'));");
      return quinn.badge(unread) == 1;
    });
    assertEquals(151L, quinn.js("return document.querySelectorAll('#thread-list li').length"));
    assertEquals("(1) Chat", quinn.title());
  }

  @Test
  @DisplayName("Three users: the admin renames the thread, adds and removes a member and makes another admin; the others see the title and the member list change live; the removed member's page drops the thread")
  void manageFromThePage() {
    String thread = thread("ann", "Project", "ben", "cat");
    ChatPage ann = page("ann").logIn(baseUrl);
    ChatPage ben = page("ben").logIn(baseUrl);
    ChatPage cat = page("cat").logIn(baseUrl);
    for (ChatPage p : List.of(ann, ben, cat)) {
      p.openThread(thread);
    }
    ann.js("document.getElementById('manage-button').click()");
    ben.js("document.getElementById('manage-button').click()");
    ann.until(d -> roles(ann).equals("ann:admin,ben:member,cat:member"));
    ben.until(d -> roles(ben).equals("ann:admin,ben:member,cat:member"));
    assertEquals(Boolean.TRUE, ben.js("return document.getElementById('rename-form').hidden"), "members do not see rename");

    ann.js("var i = document.getElementById('rename-input'); i.value = 'Project X';"
        + " document.querySelector('[data-test=rename-submit]').click()");
    for (ChatPage p : List.of(ann, ben, cat)) {
      p.until(d -> "Project X".equals(p.js("return document.getElementById('thread-title').textContent"))
          && "Project X".equals(p.js("var li = document.querySelector('#thread-list li[data-thread-id=\"' + arguments[0]"
              + " + '\"] [data-test=thread-title]'); return li && li.textContent", thread)));
    }

    ann.js("var i = document.getElementById('add-member-input'); i.value = 'dee';"
        + " document.querySelector('[data-test=add-member-submit]').click()");
    ben.until(d -> roles(ben).equals("ann:admin,ben:member,cat:member,dee:member"));

    ann.js("document.querySelector('#member-list li[data-user-id=ben] [data-test=member-role-button]').click()");
    ben.until(d -> roles(ben).equals("ann:admin,ben:admin,cat:member,dee:member"));
    ben.until(d -> Boolean.FALSE.equals(ben.js("return document.getElementById('rename-form').hidden")));

    ann.js("document.querySelector('#member-list li[data-user-id=cat] [data-test=member-remove]').click()");
    ben.until(d -> roles(ben).equals("ann:admin,ben:admin,dee:member"));
    cat.until(d -> cat.badge(thread) == -1
        && Boolean.TRUE.equals(cat.js("return document.getElementById('thread-pane').hidden")));
  }

  @Test
  @DisplayName("Mute on one device is honoured on the other: the thread shows muted there without a reload")
  void muteOnEveryDevice() {
    String thread = thread("eve", "Noisy", "fay");
    ChatPage phone = page("fay").logIn(baseUrl);
    ChatPage laptop = page("fay").logIn(baseUrl);
    phone.openThread(thread);
    phone.js("document.getElementById('manage-button').click()");
    phone.until(d -> Boolean.TRUE.equals(phone.js("return document.querySelectorAll('#member-list li').length === 2")));
    phone.js("document.getElementById('mute-toggle').click()");
    laptop.until(d -> Boolean.TRUE.equals(laptop.js("var li = document.querySelector('#thread-list li[data-thread-id=\"'"
        + " + arguments[0] + '\"]'); return !!li && li.classList.contains('muted')", thread)));
  }

  /** The member list as "user:role,..." in its order (admins first). */
  private static String roles(ChatPage page) {
    return (String) page.js("return Array.from(document.querySelectorAll('#member-list li'))"
        + ".map(function (li) { return li.dataset.userId + ':' + li.dataset.role; }).join(',')");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
