package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.BridgeClient;
import chat.shared.testing.TestEnv;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Threads people manage (issue 20) through the gateway: rename, roles, leaving, the last admin, mute,
 * the member events on the right addresses only, and the paged thread list. {@link ThreadManagementAddressRoutingIT}
 * runs it again with {@code BUS_ROUTING=address}.
 */
class ThreadManagementIT {
  private static GatewaySystem system;

  @BeforeAll
  static void start(TestInfo info) {
    system = GatewaySystem.start(TestEnv.testClass(info), env -> env.put(BusRouting.KEY, TestEnv.routing(info).name()), null);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static Response patch(String caller, String path, JsonObject body) {
    return system.call(HttpMethod.PATCH, system.token(caller), path, body);
  }

  private static Response put(String caller, String path, Object body) {
    return system.call(HttpMethod.PUT, system.token(caller), path, body);
  }

  private static Predicate<JsonObject> type(String type) {
    return b -> type.equals(b.getString("type"));
  }

  private static void assertError(int status, String code, Response r) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(code, r.error(), r.toString());
    assertTrue(r.json().getString("message") != null && !r.json().getString("message").isBlank(), r.toString());
    assertEquals(Set.of("error", "message"), r.json().fieldNames(), r.toString());
  }

  /** A bridge client registered on the user's address (and on the thread's, when given), registrations live. */
  private static BridgeClient listening(String userId, String thread) {
    BridgeClient client = system.bridge(userId);
    client.register(Addresses.user(userId));
    client.awaitRegistered(system.vertx, Addresses.user(userId));
    if (thread != null) {
      client.register(Addresses.thread(thread));
      client.awaitRegistered(system.vertx, Addresses.thread(thread));
    }
    return client;
  }

  /** Nothing but probes reached {@code client} since {@code from} (after a moment for stragglers). */
  private static void assertNothingSince(BridgeClient client, int from) {
    BridgeClient.Event any = client.pollEvent(from, Addresses.user("nobody"), b -> true, Duration.ofMillis(500));
    assertNull(any);
    List<BridgeClient.Event> events = client.eventsSince(from).stream()
        .filter(e -> !"probe".equals(e.body().getString("type"))).toList();
    assertEquals(List.of(), events, "an outsider received events of the thread");
  }

  @Test
  @DisplayName("An admin renames a thread: 200 with the summary; every member gets thread:updated on the thread and on their own address (with their own unread), an outsider nothing")
  void rename() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    String thread = system.createThread(alice, "Lunch", bob);
    system.sendMessage(alice, thread, "hi bob");
    try (BridgeClient bobClient = listening(bob, thread); BridgeClient carolClient = listening(carol, null)) {
      int carolFrom = carolClient.mark();
      Response renamed = patch(alice, "/api/threads/" + thread, new JsonObject().put("title", "  Dinner "));
      assertEquals(200, renamed.status(), renamed.toString());
      assertEquals("Dinner", renamed.json().getString("title"));
      assertEquals(thread, renamed.json().getString("id"));

      JsonObject onThread = bobClient.awaitMessage(Addresses.thread(thread), type("thread:updated"));
      assertEquals("Dinner", onThread.getJsonObject("thread").getString("title"));
      assertEquals(0L, onThread.getJsonObject("thread").getLong("unread"), "the thread's address carries nobody's unread");
      JsonObject onUser = bobClient.awaitMessage(Addresses.user(bob), type("thread:updated"));
      assertEquals("Dinner", onUser.getJsonObject("thread").getString("title"));
      assertEquals(1L, onUser.getJsonObject("thread").getLong("unread"), "bob's own view: alice's message is unread");
      assertEquals(2L, onUser.getJsonObject("thread").getLong("memberCount"));
      assertNothingSince(carolClient, carolFrom);
    }
    JsonObject listed = system.get(system.token(bob), "/api/threads").json().getJsonArray("threads").getJsonObject(0);
    assertEquals("Dinner", listed.getString("title"));

    assertError(403, "forbidden", patch(bob, "/api/threads/" + thread, new JsonObject().put("title", "Mine")));
    assertError(403, "not_member", patch(carol, "/api/threads/" + thread, new JsonObject().put("title", "Mine")));
    assertError(404, "thread_not_found",
        patch(alice, "/api/threads/" + UUID.randomUUID(), new JsonObject().put("title", "X")));
    assertError(404, "thread_not_found", patch(alice, "/api/threads/not-a-uuid", new JsonObject().put("title", "X")));
    assertError(400, "invalid_request", patch(alice, "/api/threads/" + thread, new JsonObject().put("title", " ")));
    assertError(400, "invalid_request", patch(alice, "/api/threads/" + thread, new JsonObject().put("title", 7)));
    assertError(400, "invalid_request", patch(alice, "/api/threads/" + thread, new JsonObject()));
    assertError(400, "invalid_request",
        patch(alice, "/api/threads/" + thread, new JsonObject().put("title", "x".repeat(201))));
    assertError(400, "invalid_request", system.call(HttpMethod.PATCH, system.token(alice), "/api/threads/" + thread, "{nope"));
    assertEquals("Dinner", system.get(system.token(alice), "/api/threads").json().getJsonArray("threads")
        .getJsonObject(0).getString("title"), "refused renames changed nothing");
  }

  @Test
  @DisplayName("Only admins change roles (forbidden otherwise); member:updated reaches the members; the last admin cannot be demoted; bad roles and non-members are invalid_request")
  void roles() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    String dan = user("dan");
    String thread = system.createThread(alice, "Roles", bob, carol);
    String bobPath = "/api/threads/" + thread + "/members/" + bob;
    try (BridgeClient carolClient = listening(carol, thread); BridgeClient danClient = listening(dan, null)) {
      int danFrom = danClient.mark();
      assertError(403, "forbidden", patch(bob, "/api/threads/" + thread + "/members/" + carol,
          new JsonObject().put("role", "admin")));
      assertError(403, "not_member", patch(dan, bobPath, new JsonObject().put("role", "admin")));

      Response made = patch(alice, bobPath, new JsonObject().put("role", "admin"));
      assertEquals(200, made.status(), made.toString());
      assertEquals(new JsonObject().put("userId", bob).put("role", "admin"), made.json());
      JsonObject updated = carolClient.awaitMessage(Addresses.thread(thread), type("member:updated"));
      assertEquals(new JsonObject().put("type", "member:updated").put("threadId", thread).put("userId", bob)
          .put("role", "admin"), updated);
      assertNothingSince(danClient, danFrom);
    }
    // bob, now an admin, may rename, and demote alice; then bob is the last admin and cannot demote himself
    assertEquals(200, patch(bob, "/api/threads/" + thread, new JsonObject().put("title", "Bob's")).status());
    assertEquals(200, patch(bob, "/api/threads/" + thread + "/members/" + alice, new JsonObject().put("role", "member")).status());
    assertError(403, "forbidden", patch(alice, "/api/threads/" + thread, new JsonObject().put("title", "Back")));
    assertError(403, "forbidden", patch(bob, bobPath, new JsonObject().put("role", "member")));
    assertEquals(200, patch(bob, bobPath, new JsonObject().put("role", "admin")).status(), "setting the same role is fine");

    assertError(400, "invalid_request", patch(bob, bobPath, new JsonObject().put("role", "owner")));
    assertError(400, "invalid_request", patch(bob, bobPath, new JsonObject().put("role", true)));
    assertError(400, "invalid_request", patch(bob, bobPath, new JsonObject()));
    assertError(400, "invalid_request", patch(bob, "/api/threads/" + thread + "/members/" + dan,
        new JsonObject().put("role", "admin")));
    assertError(400, "invalid_request", patch(bob, "/api/threads/" + thread + "/members/a%20b",
        new JsonObject().put("role", "admin")));
    JsonArray members = system.get(system.token(carol), "/api/threads/" + thread + "/members").json().getJsonArray("members");
    assertEquals(bob, members.getJsonObject(0).getString("userId"));
    assertEquals("admin", members.getJsonObject(0).getString("role"));
    assertEquals("member", members.getJsonObject(1).getString("role"));
  }

  @Test
  @DisplayName("Anyone may leave, nobody else may remove others; add and remove announce member:added and member:removed on the thread, thread:added/thread:removed to the user, nothing to outsiders")
  void addLeaveRemove() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    String dan = user("dan");
    String thread = system.createThread(alice, "Members", bob);
    try (BridgeClient bobClient = listening(bob, thread); BridgeClient carolClient = listening(carol, null);
        BridgeClient danClient = listening(dan, null)) {
      int danFrom = danClient.mark();
      assertEquals(201, system.post(system.token(alice), "/api/threads/" + thread + "/members",
          new JsonObject().put("userId", carol)).status());
      assertEquals(new JsonObject().put("type", "member:added").put("threadId", thread).put("userId", carol)
          .put("role", "member"), bobClient.awaitMessage(Addresses.thread(thread), type("member:added")));
      carolClient.awaitMessage(Addresses.user(carol), type("thread:added"));

      assertError(403, "forbidden", system.delete(system.token(bob), "/api/threads/" + thread + "/members/" + carol));
      Response left = system.delete(system.token(carol), "/api/threads/" + thread + "/members/" + carol);
      assertEquals(204, left.status(), left.toString());
      assertEquals(new JsonObject().put("type", "member:removed").put("threadId", thread).put("userId", carol),
          bobClient.awaitMessage(Addresses.thread(thread), type("member:removed")));
      carolClient.awaitMessage(Addresses.user(carol), type("thread:removed"));
      assertError(403, "not_member", system.get(system.token(carol), "/api/threads/" + thread + "/messages"));

      int bobFrom = bobClient.mark();
      assertEquals(204, system.delete(system.token(alice), "/api/threads/" + thread + "/members/" + bob).status());
      bobClient.awaitEvent(bobFrom, Addresses.user(bob), type("thread:removed"), Duration.ofSeconds(10));
      assertNothingSince(danClient, danFrom);
    }
    assertEquals(204, system.delete(system.token(dan), "/api/threads/" + thread + "/members/" + dan).status(),
        "an outsider leaving is a no-op");
  }

  @Test
  @DisplayName("When the last admin leaves, the longest-standing remaining member becomes admin (member:updated), not the first by id")
  void lastAdminLeaves() {
    String alice = user("alice");
    String zed = "zz-" + UUID.randomUUID().toString().substring(0, 8);
    String early = "aa-" + UUID.randomUUID().toString().substring(0, 8);
    String thread = system.createThread(alice, "Succession", zed);
    // 'aa-' sorts before 'zz-' but joins later
    assertEquals(201, system.post(system.token(alice), "/api/threads/" + thread + "/members",
        new JsonObject().put("userId", early)).status());
    try (BridgeClient zedClient = listening(zed, thread)) {
      assertEquals(204, system.delete(system.token(alice), "/api/threads/" + thread + "/members/" + alice).status());
      assertEquals(new JsonObject().put("type", "member:updated").put("threadId", thread).put("userId", zed)
          .put("role", "admin"), zedClient.awaitMessage(Addresses.thread(thread), type("member:updated")));
      zedClient.awaitMessage(Addresses.thread(thread), b -> "member:removed".equals(b.getString("type"))
          && alice.equals(b.getString("userId")));
    }
    JsonArray members = system.get(system.token(zed), "/api/threads/" + thread + "/members").json().getJsonArray("members");
    assertEquals(new JsonObject().put("userId", zed).put("name", zed).put("role", "admin"), members.getJsonObject(0));
    assertEquals("member", members.getJsonObject(1).getString("role"));
    assertEquals(200, patch(zed, "/api/threads/" + thread, new JsonObject().put("title", "Zed's")).status());
    // a non-admin leaving changes no role
    assertEquals(204, system.delete(system.token(early), "/api/threads/" + thread + "/members/" + early).status());
    // the last member leaving leaves an empty thread, no error
    assertEquals(204, system.delete(system.token(zed), "/api/threads/" + thread + "/members/" + zed).status());
  }

  @Test
  @DisplayName("Mute is the caller's own: 200 {muted}, the summary's muted on every device of theirs (thread:updated on their address), others unaffected; malformed bodies are invalid_request")
  void mute() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    String thread = system.createThread(alice, "Noisy", bob);
    String path = "/api/threads/" + thread + "/mute";
    try (BridgeClient otherDevice = listening(bob, thread); BridgeClient aliceClient = listening(alice, null)) {
      int aliceFrom = aliceClient.mark();
      Response muted = put(bob, path, new JsonObject().put("muted", true));
      assertEquals(200, muted.status(), muted.toString());
      assertEquals(new JsonObject().put("muted", true), muted.json());
      JsonObject event = otherDevice.awaitMessage(Addresses.user(bob), type("thread:updated"));
      assertTrue(event.getJsonObject("thread").getBoolean("muted"));
      assertEquals(thread, event.getJsonObject("thread").getString("id"));
      assertNull(aliceClient.pollEvent(aliceFrom, Addresses.user(alice), type("thread:updated"), Duration.ofMillis(500)),
          "alice is not told of bob's mute");
      assertFalse(otherDevice.received(Addresses.thread(thread)).stream().anyMatch(type("thread:updated")),
          "a mute is not announced on the thread");
    }
    assertTrue(system.get(system.token(bob), "/api/threads").json().getJsonArray("threads").getJsonObject(0).getBoolean("muted"));
    assertFalse(system.get(system.token(alice), "/api/threads").json().getJsonArray("threads").getJsonObject(0).getBoolean("muted"));
    assertEquals(new JsonObject().put("muted", false), put(bob, path, new JsonObject().put("muted", false)).json());
    assertFalse(system.get(system.token(bob), "/api/threads").json().getJsonArray("threads").getJsonObject(0).getBoolean("muted"));

    assertError(403, "not_member", put(carol, path, new JsonObject().put("muted", true)));
    assertError(404, "thread_not_found", put(bob, "/api/threads/" + UUID.randomUUID() + "/mute", new JsonObject().put("muted", true)));
    assertError(400, "invalid_request", put(bob, path, new JsonObject().put("muted", "yes")));
    assertError(400, "invalid_request", put(bob, path, new JsonObject().put("muted", 1)));
    assertError(400, "invalid_request", put(bob, path, new JsonObject()));
    assertError(400, "invalid_request", put(bob, path, "[true]"));
    assertError(400, "invalid_request", put(bob, path, null));
  }

  @Test
  @DisplayName("GET /api/threads pages newest activity first with nextCursor (null on the last page); under concurrent sends and new threads no thread comes twice or is skipped; bad limits and cursors are invalid_request")
  void paging() {
    String alice = user("alice");
    String bob = user("bob");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(system.createThread(bob, "T" + i, alice));
    }
    JsonObject all = system.get(system.token(alice), "/api/threads").json();
    assertNull(all.getValue("nextCursor"), "a short list is one page");
    assertTrue(all.containsKey("nextCursor"));
    List<String> newestFirst = ids(all.getJsonArray("threads"));
    assertEquals(Set.copyOf(created), Set.copyOf(newestFirst));
    JsonArray listed = all.getJsonArray("threads");
    for (int i = 1; i < listed.size(); i++) {
      assertTrue(listed.getJsonObject(i - 1).getString("updatedAt").compareTo(listed.getJsonObject(i).getString("updatedAt")) >= 0,
          "newest activity first: " + listed.encode());
    }

    JsonObject first = system.get(system.token(alice), "/api/threads?limit=3").json();
    assertEquals(newestFirst.subList(0, 3), ids(first.getJsonArray("threads")));
    assertNotNull(first.getString("nextCursor"));
    // meanwhile: activity in threads not yet seen, in one already seen, and a brand-new thread
    system.sendMessage(bob, newestFirst.get(5), "moves to the top");
    system.sendMessage(bob, newestFirst.get(3), "so does this");
    system.sendMessage(bob, newestFirst.get(0), "already seen");
    String fresh = system.createThread(bob, "Fresh", alice);

    Set<String> seen = new HashSet<>(ids(first.getJsonArray("threads")));
    List<String> order = new ArrayList<>(ids(first.getJsonArray("threads")));
    String cursor = first.getString("nextCursor");
    int pages = 1;
    while (cursor != null) {
      JsonObject page = system.get(system.token(alice), "/api/threads?limit=3&cursor=" + cursor).json();
      for (String id : ids(page.getJsonArray("threads"))) {
        assertTrue(seen.add(id), "thread listed twice: " + id);
        order.add(id);
      }
      cursor = page.getString("nextCursor");
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(newestFirst, order, "the listing is the list as it stood at its first page");
    assertFalse(seen.contains(fresh), "a thread created after the first page comes as thread:added, not on a later page");

    JsonObject fresher = system.get(system.token(alice), "/api/threads?limit=4").json();
    assertEquals(List.of(fresh, newestFirst.get(0), newestFirst.get(3), newestFirst.get(5)),
        ids(fresher.getJsonArray("threads")), "a new listing sees the new order");

    for (String bad : List.of("limit=0", "limit=501", "limit=-1", "limit=x", "limit=1&limit=2", "cursor=nope",
        "cursor=" + java.util.Base64.getUrlEncoder().encodeToString("1:2:not-a-uuid".getBytes()), "cursor=%%%")) {
      assertError(400, "invalid_request", system.get(system.token(alice), "/api/threads?" + bad));
    }
    assertEquals(200, system.get(system.token(alice), "/api/threads?limit=500").status());
  }

  private static List<String> ids(JsonArray threads) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < threads.size(); i++) {
      ids.add(threads.getJsonObject(i).getString("id"));
    }
    return ids;
  }
}
