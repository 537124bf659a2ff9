package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.Await;
import chat.gateway.GatewaySystem.Response;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HTTP API of the contract, end to end through the gateway against the real services and Postgres. */
class GatewayApiIT {
  private static GatewaySystem system;

  /** Fresh users for every test (JUnit makes a new instance per test), so tests never share a thread. */
  private final String alice = user("alice");
  private final String bob = user("bob");
  private final String carol = user("carol");
  private final String eve = user("eve");
  private final String mallory = user("mallory");

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(GatewayApiIT.class, env -> {
      env.put("CHAT_RATE_LIMITS", "off");
      env.put("MAX_BODY_BYTES", "16384");
    }, null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("Dev login gives a token that works on the API, and refuses an invalid user id")
  void devLogin() {
    Response login = system.post(null, "/api/dev/token", new JsonObject().put("userId", alice).put("name", "Alice"));
    assertEquals(200, login.status(), login.toString());
    String token = login.json().getString("token");
    assertEquals(200, system.get(token, "/api/threads").status());

    Response bad = system.post(null, "/api/dev/token", new JsonObject().put("userId", "no spaces allowed"));
    assertEquals(400, bad.status());
    assertEquals("invalid_request", bad.error());
    assertEquals("invalid_request", system.post(null, "/api/dev/token", new JsonObject().put("userId", 42)).error());
  }

  @Test
  @DisplayName("A request without a valid bearer token is answered 401 unauthorized")
  void missingToken() {
    Response none = system.get(null, "/api/threads");
    assertEquals(401, none.status());
    assertEquals("unauthorized", none.error());
    assertEquals(401, system.get("not-a-jwt", "/api/threads").status());
    assertEquals(401, system.post(null, "/api/threads", new JsonObject().put("title", "x")).status());
  }

  @Test
  @DisplayName("Creating a thread answers 201 with a summary in which the creator is an admin, and it is listed newest first")
  void createAndList() {
    system.post(null, "/api/dev/token", new JsonObject().put("userId", bob));
    Response created = system.post(system.token(alice), "/api/threads",
        new JsonObject().put("title", "Lunch").put("memberIds", new JsonArray().add(bob)));
    assertEquals(201, created.status(), created.toString());
    JsonObject thread = created.json();
    assertEquals("Lunch", thread.getString("title"));
    assertEquals(0L, thread.getLong("lastSeq"));
    assertTrue(thread.getJsonArray("members").stream().map(JsonObject.class::cast)
        .anyMatch(m -> m.getString("userId").equals(alice) && m.getString("role").equals("admin")));

    String older = thread.getString("id");
    String newer = system.createThread(alice, "Later", bob);
    system.sendMessage(alice, older, "bump");
    JsonArray threads = system.get(system.token(alice), "/api/threads").json().getJsonArray("threads");
    assertEquals(older, threads.getJsonObject(0).getString("id"));
    assertEquals(newer, threads.getJsonObject(1).getString("id"));
    JsonArray bobs = system.get(system.token(bob), "/api/threads").json().getJsonArray("threads");
    assertEquals(2, bobs.size());
  }

  @Test
  @DisplayName("Adding a member answers 201, adding them again 200, and only admins may add")
  void addMember() {
    String thread = system.createThread(alice, "Team", bob);
    String path = "/api/threads/" + thread + "/members";
    assertEquals(201, system.post(system.token(alice), path, new JsonObject().put("userId", carol)).status());
    assertEquals(200, system.post(system.token(alice), path, new JsonObject().put("userId", carol)).status());
    Response byMember = system.post(system.token(bob), path, new JsonObject().put("userId", user("dave")));
    assertEquals(403, byMember.status(), byMember.toString());
    Response invalid = system.post(system.token(alice), path, new JsonObject().put("userId", "../etc"));
    assertEquals("invalid_request", invalid.error());
    assertEquals(200, system.get(system.token(carol), "/api/threads/" + thread + "/messages").status());
  }

  @Test
  @DisplayName("GET /api/threads/{id}/members pages the members, admins first, for members only; summaries carry memberCount")
  void memberList() {
    String thread = system.createThread(alice, "Roster", bob, carol, eve);
    String token = system.token(bob);
    Response first = system.get(token, "/api/threads/" + thread + "/members?limit=3");
    assertEquals(200, first.status(), first.toString());
    JsonArray page = first.json().getJsonArray("members");
    assertEquals(3, page.size());
    assertEquals(alice, page.getJsonObject(0).getString("userId"));
    assertEquals("admin", page.getJsonObject(0).getString("role"));
    String cursor = first.json().getString("nextCursor");
    assertNotNull(cursor);
    Response second = system.get(token, "/api/threads/" + thread + "/members?limit=3&cursor=" + cursor);
    assertEquals(1, second.json().getJsonArray("members").size(), second.toString());
    assertTrue(second.json().containsKey("nextCursor") && second.json().getString("nextCursor") == null);
    assertEquals("not_member", system.get(system.token(mallory), "/api/threads/" + thread + "/members").error());
    assertEquals("invalid_request", system.get(token, "/api/threads/" + thread + "/members?cursor=nope").error());
    assertEquals("invalid_request", system.get(token, "/api/threads/" + thread + "/members?limit=0").error());
    JsonObject listed = system.get(token, "/api/threads").json().getJsonArray("threads").getJsonObject(0);
    assertEquals(4L, listed.getLong("memberCount"));
  }

  @Test
  @DisplayName("Removing a member answers 204 and the removed user can no longer read the thread")
  void removeMember() {
    String thread = system.createThread(alice, "Team", bob);
    Response removed = system.delete(system.token(alice), "/api/threads/" + thread + "/members/" + bob);
    assertEquals(204, removed.status(), removed.toString());
    Response read = system.get(system.token(bob), "/api/threads/" + thread + "/messages");
    assertEquals(403, read.status());
    assertEquals("not_member", read.error());
    assertEquals("invalid_request", system.delete(system.token(alice), "/api/threads/" + thread + "/members/bad%20id").error());
  }

  @Test
  @DisplayName("Sending answers 201 with the message, and the same clientMessageId again answers 200 with the first message")
  void sendAndIdempotentRetry() {
    String thread = system.createThread(alice, "Notes");
    JsonObject request = new JsonObject().put("body", "  hello 👋 world  ").put("clientMessageId", "c-1");
    Response first = system.post(system.token(alice), "/api/threads/" + thread + "/messages", request);
    assertEquals(201, first.status(), first.toString());
    JsonObject message = first.json().getJsonObject("message");
    assertEquals("hello 👋 world", message.getString("body"));
    assertEquals(1L, message.getLong("seq"));
    assertEquals(alice, message.getString("authorId"));
    assertEquals(thread, message.getString("threadId"));
    assertEquals("c-1", message.getString("clientMessageId"));
    assertTrue(message.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals(new JsonArray(), message.getJsonArray("attachments"));

    Response retry = system.post(system.token(alice), "/api/threads/" + thread + "/messages", request);
    assertEquals(200, retry.status(), retry.toString());
    assertEquals(message, retry.json().getJsonObject("message"));
    JsonArray history = system.get(system.token(alice), "/api/threads/" + thread + "/messages").json().getJsonArray("messages");
    assertEquals(1, history.size());
  }

  @Test
  @DisplayName("A client cannot name a service as its message's via, over HTTP or the bridge: via is the service API's alone")
  void clientCannotClaimVia() {
    String thread = system.createThread(alice, "Via");
    Response http = system.post(system.token(alice), "/api/threads/" + thread + "/messages",
        new JsonObject().put("body", "from a browser").put("via", "billing-bot"));
    assertEquals(201, http.status(), http.toString());
    assertNull(http.json().getJsonObject("message").getValue("via"), http.toString());
    try (chat.shared.testing.BridgeClient client = system.bridge(alice)) {
      JsonObject reply = chat.shared.testing.Await.result(client.send(chat.shared.bus.Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", thread).put("body", "over the bridge").put("via", "billing-bot"), null));
      assertNull(reply.getJsonObject("body").getJsonObject("message").getValue("via"), reply.toString());
    }
    JsonArray history = system.get(system.token(alice), "/api/threads/" + thread + "/messages").json().getJsonArray("messages");
    assertEquals(2, history.size());
    history.forEach(m -> assertNull(((JsonObject) m).getValue("via"), m.toString()));
  }

  @Test
  @DisplayName("Fifty concurrent sends into one thread get seqs 1 to 50 with no gap and no duplicate")
  void concurrentSends() {
    String thread = system.createThread(alice, "Busy", bob);
    List<Future<io.vertx.ext.web.client.HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String author = i % 2 == 0 ? alice : bob;
      sends.add(system.http.post("/api/threads/" + thread + "/messages")
          .putHeader("Authorization", "Bearer " + system.token(author))
          .sendJsonObject(new JsonObject().put("body", "m" + i)));
    }
    Await.result(Future.all(sends));
    Set<Long> seqs = new HashSet<>();
    for (var send : sends) {
      assertEquals(201, send.result().statusCode(), send.result().bodyAsString());
      seqs.add(send.result().bodyAsJsonObject().getJsonObject("message").getLong("seq"));
    }
    assertEquals(LongStreamSet.range(1, 50), seqs);
    JsonArray page = system.get(system.token(alice), "/api/threads/" + thread + "/messages?limit=200").json()
        .getJsonArray("messages");
    assertEquals(50, page.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1L, page.getJsonObject(i).getLong("seq"));
    }
  }

  @Test
  @DisplayName("History pages by seq, oldest first, at most the limit, and says whether there is more")
  void historyPaging() {
    String thread = system.createThread(alice, "Paging");
    for (int i = 1; i <= 7; i++) {
      system.sendMessage(alice, thread, "m" + i);
    }
    String base = "/api/threads/" + thread + "/messages";
    JsonObject last3 = system.get(system.token(alice), base + "?limit=3").json();
    assertEquals(List.of(5L, 6L, 7L), seqs(last3));
    assertTrue(last3.getBoolean("hasMore"));
    JsonObject before5 = system.get(system.token(alice), base + "?beforeSeq=5&limit=3").json();
    assertEquals(List.of(2L, 3L, 4L), seqs(before5));
    JsonObject after5 = system.get(system.token(alice), base + "?afterSeq=5").json();
    assertEquals(List.of(6L, 7L), seqs(after5));
    assertFalse(after5.getBoolean("hasMore"));
    for (String bad : List.of("?limit=0", "?limit=201", "?limit=-1", "?beforeSeq=abc", "?afterSeq=-3", "?afterSeq=1.5",
        "?limit=99999999999999999999", "?afterSeq=1&afterSeq=2")) {
      Response r = system.get(system.token(alice), base + bad);
      assertEquals(400, r.status(), bad + " -> " + r);
      assertEquals("invalid_request", r.error());
    }
  }

  @Test
  @DisplayName("Non-members get 403 not_member, unknown or malformed thread ids get 404 thread_not_found")
  void membershipAndUnknownThreads() {
    String thread = system.createThread(alice, "Private");
    for (Response r : List.of(
        system.get(system.token(eve), "/api/threads/" + thread + "/messages"),
        system.post(system.token(eve), "/api/threads/" + thread + "/messages", new JsonObject().put("body", "hi")),
        system.post(system.token(eve), "/api/threads/" + thread + "/read", new JsonObject()),
        system.get(system.token(eve), "/api/threads/" + thread + "/receipts"))) {
      assertEquals(403, r.status(), r.toString());
      assertEquals("not_member", r.error());
    }
    String unknown = UUID.randomUUID().toString();
    for (String id : List.of(unknown, "not-a-uuid", "..%2F..%2Fetc", "1%20OR%201=1")) {
      Response r = system.get(system.token(alice), "/api/threads/" + id + "/messages");
      assertEquals(404, r.status(), id + " -> " + r);
      assertEquals("thread_not_found", r.error());
    }
    Response sendUnknown = system.post(system.token(alice), "/api/threads/" + unknown + "/messages", new JsonObject().put("body", "x"));
    assertEquals("thread_not_found", sendUnknown.error());
  }

  @Test
  @DisplayName("Malformed JSON, non-object bodies and wrong types are 400 invalid_request, and nothing is written")
  void badBodies() {
    String thread = system.createThread(alice, "Bad input");
    String send = "/api/threads/" + thread + "/messages";
    for (Object body : List.<Object>of("{", "not json", "[1,2]", "\"text\"", "42", "null",
        new JsonObject().put("body", 5), new JsonObject().put("body", new JsonArray()),
        new JsonObject().put("body", "x").put("clientMessageId", 7), "{\"body\":\"x\",}")) {
      Response r = system.post(system.token(alice), send, body);
      assertEquals(400, r.status(), body + " -> " + r);
      assertEquals("invalid_request", r.error(), body + " -> " + r);
    }
    Response empty = system.post(system.token(alice), send, new JsonObject().put("body", "   "));
    assertEquals(400, empty.status());
    assertEquals("empty_message", empty.error());
    Response tooLong = system.post(system.token(alice), send, new JsonObject().put("body", "x".repeat(4001)));
    assertEquals(413, tooLong.status());
    assertEquals("message_too_long", tooLong.error());
    Response exactly = system.post(system.token(alice), send, new JsonObject().put("body", "é".repeat(4000)));
    assertEquals(201, exactly.status(), exactly.toString());
    assertEquals(1L, exactly.json().getJsonObject("message").getLong("seq"));

    for (Object body : List.<Object>of(new JsonObject().put("title", 5), new JsonObject().put("title", "t").put("memberIds", "bob"),
        new JsonObject().put("title", "t").put("memberIds", new JsonArray().add(1)), "[]")) {
      assertEquals("invalid_request", system.post(system.token(alice), "/api/threads", body).error(), body.toString());
    }
    assertEquals("invalid_request", system.post(system.token(alice), "/api/threads/" + thread + "/read",
        new JsonObject().put("lastReadMessageId", "nope")).error());
  }

  @Test
  @DisplayName("A body over the size limit is refused with 413 request_too_large")
  void oversizedBody() {
    String thread = system.createThread(alice, "Big");
    String huge = new JsonObject().put("body", "x".repeat(40_000)).encode();
    Response r = system.post(system.token(alice), "/api/threads/" + thread + "/messages", huge);
    assertEquals(413, r.status());
    assertEquals("request_too_large", r.error());
    assertEquals(0, system.get(system.token(alice), "/api/threads/" + thread + "/messages").json().getJsonArray("messages").size());
  }

  @Test
  @DisplayName("A user id supplied by the client in a header, the query or the body is ignored: the author is the token's user")
  void clientUserIdIgnored() {
    String thread = system.createThread(alice, "Spoof", mallory);
    Response r = Await.result(system.http.post("/api/threads/" + thread + "/messages?userId=" + alice)
            .putHeader("Authorization", "Bearer " + system.token(mallory))
            .putHeader("X-User-Id", alice)
            .sendJsonObject(new JsonObject().put("body", "I am alice").put("userId", alice).put("authorId", alice))
            .map(resp -> new Response(resp.statusCode(), resp.bodyAsString(), resp.headers())));
    assertEquals(201, r.status(), r.toString());
    assertEquals(mallory, r.json().getJsonObject("message").getString("authorId"));
  }

  @Test
  @DisplayName("Reading moves the marker and unread counts and receipts reflect it")
  void readUnreadReceipts() {
    String thread = system.createThread(alice, "Counts", bob);
    JsonObject first = system.sendMessage(alice, thread, "one");
    system.sendMessage(alice, thread, "two");
    system.sendMessage(alice, thread, "three");

    JsonObject badge = system.get(system.token(bob), "/api/threads/unread").json();
    assertEquals(3L, badge.getLong("total"));
    assertEquals(new JsonObject().put("threadId", thread).put("unread", 3), badge.getJsonArray("byThread").getJsonObject(0));

    Response partial = system.post(system.token(bob), "/api/threads/" + thread + "/read",
        new JsonObject().put("lastReadMessageId", first.getString("id")));
    assertEquals(200, partial.status(), partial.toString());
    assertEquals(new JsonObject().put("ok", true).put("lastReadSeq", 1).put("unread", 2), partial.json());

    Response all = system.call(HttpMethod.POST, system.token(bob), "/api/threads/" + thread + "/read", null);
    assertEquals(200, all.status(), all.toString());
    assertEquals(3L, all.json().getLong("lastReadSeq"));
    assertEquals(0L, all.json().getLong("unread"));
    assertEquals(0L, system.get(system.token(bob), "/api/threads/unread").json().getLong("total"));

    JsonArray receipts = system.get(system.token(alice), "/api/threads/" + thread + "/receipts").json().getJsonArray("receipts");
    JsonObject bobs = receipts.stream().map(JsonObject.class::cast).filter(x -> x.getString("userId").equals(bob))
        .findFirst().orElseThrow();
    assertEquals(3L, bobs.getLong("lastReadSeq"));
    assertNotNull(bobs.getString("lastReadAt"));
  }

  @Test
  @DisplayName("Unknown routes answer 404 not_found and a wrong method 405, both as JSON")
  void unknownRoutes() {
    String token = system.token(user("alice"));
    Response unknown = system.get(token, "/api/nothing-here");
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.error());
    Response wrongMethod = system.call(HttpMethod.PUT, token, "/api/threads", new JsonObject());
    assertEquals(405, wrongMethod.status(), wrongMethod.toString());
    assertEquals("method_not_allowed", wrongMethod.error());
    assertEquals("not_found", system.get(null, "/no/such/page.html").error());
  }

  @Test
  @DisplayName("Liveness, readiness and Prometheus metrics answer 200")
  void health() {
    assertEquals(200, system.get(null, "/health/live").status());
    Response ready = system.get(null, "/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("UP", ready.json().getString("status"));
    system.get(system.token(user("metrics")), "/api/threads");
    Response metrics = system.get(null, "/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.headers().get("Content-Type").startsWith("text/plain"));
    assertTrue(metrics.body().contains("chat_bus_request_seconds"), "bus latency timer");
    assertTrue(metrics.body().contains("chat_bridge_connections"), "bridge connections gauge");
    assertTrue(metrics.body().contains("chat_http_requests_total"), "http requests counter");
  }

  @Test
  @DisplayName("Every response carries the security headers, the page is served with its CSP, and no CORS header is sent to an unknown origin")
  void securityHeaders() {
    Response page = system.get(null, "/");
    assertEquals(200, page.status());
    assertTrue(page.headers().get("Content-Type").startsWith("text/html"));
    for (Response r : List.of(page, system.get(null, "/api/threads"), system.get(null, "/health/live"))) {
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
      assertEquals("no-referrer", r.headers().get("Referrer-Policy"));
      assertEquals("DENY", r.headers().get("X-Frame-Options"));
      assertTrue(r.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"));
    }
    var info = Await.result(system.http.get("/eventbus/info?access_token=" + system.token(user("cors")))
        .putHeader("Origin", "https://evil.example").send());
    assertEquals(200, info.statusCode());
    assertNull(info.getHeader("Access-Control-Allow-Origin"));
    var api = Await.result(system.http.get("/api/threads").putHeader("Origin", "https://evil.example")
        .putHeader("Authorization", "Bearer " + system.token(user("cors"))).send());
    assertNull(api.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  @DisplayName("Without EMBED_ORIGINS or TOKEN_ENDPOINT, GET /api/config (no token needed, never cached) tells the page to use dev login only")
  void pageConfigWithoutEmbedding() {
    Response r = system.get(null, "/api/config");
    assertEquals(200, r.status());
    assertEquals("no-store", r.headers().get("Cache-Control"));
    assertEquals(new JsonObject().put("devLogin", true).putNull("tokenEndpoint").put("embedOrigins", new JsonArray()),
        r.json());
  }

  private static List<Long> seqs(JsonObject page) {
    return page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).collect(Collectors.toList());
  }

  private static final class LongStreamSet {
    static Set<Long> range(long from, long to) {
      return IntStream.rangeClosed((int) from, (int) to).mapToObj(i -> (long) i).collect(Collectors.toSet());
    }
  }
}
