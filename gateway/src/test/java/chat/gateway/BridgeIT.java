package chat.gateway;

import static chat.shared.testing.Checkpoints.flagOn;
import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.Checkpoints;
import chat.shared.testing.TestEnv;
import chat.shared.testing.Await;
import chat.gateway.GatewaySystem.Response;
import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS event-bus bridge through a real bridge client: registration guard, stamping, façade, limits.
 * Runs with the default {@code BUS_ROUTING=node}; {@link BridgeAddressRoutingIT} runs it all again with
 * {@code address}.
 */
@ExtendWith(VertxExtension.class)
class BridgeIT {
  private static final RateLimits LIMITS = RateLimits.defaults(true).withConnections(3, 200).withRegistrationsPerSocket(5).withSends(1, 5);
  private static GatewaySystem system;
  private static BusRouting routing;

  /** Fresh users for every test (JUnit makes a new instance per test), so tests never share a thread. */
  private final String alice = user("alice");
  private final String bob = user("bob");
  private final String eve = user("eve");
  private final String mallory = user("mallory");

  @BeforeAll
  static void start(TestInfo info) {
    routing = TestEnv.routing(info);
    system = GatewaySystem.start(TestEnv.testClass(info), env -> env.put(BusRouting.KEY, routing.name()), LIMITS);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A message sent over HTTP arrives on another member's bridge connection, on the thread and on their user address")
  void messageArrivesLive(VertxTestContext ctx) {
    String thread = system.createThread(alice, "Live", bob);
    try (BridgeClient bobClient = system.bridge(bob)) {
      bobClient.register(Addresses.thread(thread));
      bobClient.register(Addresses.user(bob));
      bobClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      bobClient.awaitRegistered(system.vertx, Addresses.user(bob));
      JsonObject sent = system.sendMessage(alice, thread, "hi bob");
      Checkpoint messageOnThread = ctx.checkpoint();
      Checkpoint messageOnUser = ctx.checkpoint();
      Checkpoint unreadBadgeOfOne = ctx.checkpoint();
      flagOn(ctx, messageOnThread, bobClient.expect(Addresses.thread(thread), b -> "message:new".equals(b.getString("type"))),
          onThread -> {
            assertEquals(thread, onThread.getString("threadId"));
            assertEquals(sent, onThread.getJsonObject("message"));
          });
      flagOn(ctx, messageOnUser, bobClient.expect(Addresses.user(bob), b -> "message:new".equals(b.getString("type"))),
          onUser -> assertEquals(sent.getString("id"), onUser.getJsonObject("message").getString("id")));
      flagOn(ctx, unreadBadgeOfOne, bobClient.expect(Addresses.user(bob),
          b -> "unread:update".equals(b.getString("type")) && b.getLong("unread") == 1L), badge -> {});
      Checkpoints.await(ctx);
    }
  }

  @Test
  @DisplayName("A non-member's register on a thread is refused with an error frame and they receive nothing from it")
  void nonMemberRefused() {
    String thread = system.createThread(alice, "Secret");
    try (BridgeClient aliceClient = system.bridge(alice); BridgeClient eveClient = system.bridge(eve)) {
      eveClient.register(Addresses.thread(thread));
      JsonObject error = eveClient.nextError();
      assertTrue(Set.of("access_denied", "rejected").contains(error.getString("body")), error.encode());
      assertFalse(error.containsKey("address"));

      aliceClient.register(Addresses.thread(thread));
      aliceClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      system.sendMessage(alice, thread, "top secret");
      aliceClient.awaitMessage(Addresses.thread(thread), b -> "message:new".equals(b.getString("type")));
      roundTrip(eveClient);
      assertEquals(List.of(), eveClient.received(Addresses.thread(thread)));

      eveClient.register(Addresses.user(alice));
      assertTrue(Set.of("access_denied", "rejected").contains(eveClient.nextError().getString("body")));
      eveClient.register("chat.messaging.anything");
      assertTrue(Set.of("access_denied", "rejected").contains(eveClient.nextError().getString("body")));
      eveClient.register(Addresses.MESSAGE_SEND);
      assertTrue(Set.of("access_denied", "rejected").contains(eveClient.nextError().getString("body")));
    }
  }

  @Test
  @DisplayName("A member removed from a thread stops receiving its events on the registration they already had")
  void removedMemberStopsReceiving(VertxTestContext ctx) {
    String thread = system.createThread(alice, "Shrinking", bob);
    try (BridgeClient aliceClient = system.bridge(alice); BridgeClient bobClient = system.bridge(bob)) {
      bobClient.register(Addresses.thread(thread));
      aliceClient.register(Addresses.thread(thread));
      bobClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      aliceClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      system.sendMessage(alice, thread, "before");
      bobClient.awaitMessage(Addresses.thread(thread), b -> "message:new".equals(b.getString("type")));

      Response removed = system.delete(system.token(alice), "/api/threads/" + thread + "/members/" + bob);
      assertEquals(204, removed.status());
      int seenByBob = bobClient.received(Addresses.thread(thread)).size();
      JsonObject after = system.sendMessage(alice, thread, "after");
      Checkpoint aliceGetsAfter = ctx.checkpoint();
      Checkpoint aliceGetsProbe = ctx.checkpoint();
      Future<JsonObject> afterSeen = flagOn(ctx, aliceGetsAfter, aliceClient.expect(Addresses.thread(thread),
          b -> b.getJsonObject("message") != null && after.getString("id").equals(b.getJsonObject("message").getString("id"))), b -> {});
      flagOn(ctx, aliceGetsProbe, afterSeen.compose(b -> {
        new BrowserEvents(system.vertx, routing).toThread(thread, new JsonObject().put("type", "probe"));
        return aliceClient.expect(Addresses.thread(thread), p -> "probe".equals(p.getString("type")));
      }), b -> {});
      Checkpoints.await(ctx);
      roundTrip(bobClient);
      assertEquals(seenByBob, bobClient.received(Addresses.thread(thread)).size(), "bob got " + bobClient.received(Addresses.thread(thread)));
    }
  }

  @Test
  @DisplayName("A bridge send with a forged userId in the body and headers is stamped with the real user")
  void forgedUserIdIsReplaced() {
    String thread = system.createThread(alice, "Spoof", mallory);
    try (BridgeClient client = system.bridge(mallory)) {
      JsonObject reply = client.request(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", thread).put("body", "I am alice").put("userId", alice),
          new JsonObject().put("userId", alice).put("connectionId", "forged"));
      assertEquals("rec", reply.getString("type"), reply.encode());
      JsonObject message = reply.getJsonObject("body").getJsonObject("message");
      assertEquals(mallory, message.getString("authorId"));
      assertEquals(1, reply.getJsonObject("body").size());
    }
  }

  @Test
  @DisplayName("A bridge connection without a valid access_token is refused with 401 before the bridge")
  void badAccessToken() {
    for (String query : List.of("", "?access_token=", "?access_token=garbage",
        "?access_token=" + TestTokens.none(TestTokens.claims("alice")))) {
      Throwable failure = BridgeClient.connectFailure(system.vertx, system.port, query);
      assertNotNull(failure, query);
      assertTrue(failure instanceof UpgradeRejectedException, failure.toString());
      assertEquals(401, ((UpgradeRejectedException) failure).getStatus());
    }
    var info = Await.result(system.http.get("/eventbus/info").send());
    assertEquals(401, info.statusCode());
    assertEquals("unauthorized", info.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName("The inbound addresses answer as the contract says, and failures carry the HTTP status and the error code")
  void inboundAddresses() {
    String thread = system.createThread(alice, "Inbound", bob);
    try (BridgeClient aliceClient = system.bridge(alice); BridgeClient eveClient = system.bridge(eve)) {
      JsonObject joined = aliceClient.request(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread));
      assertEquals("rec", joined.getString("type"), joined.encode());
      assertEquals(new JsonArray().add(alice), joined.getJsonObject("body").getJsonArray("onlineUserIds"));
      assertNotNull(joined.getJsonObject("body").getJsonArray("typingUserIds"));

      JsonObject sent = aliceClient.request(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", thread).put("body", "via bridge").put("clientMessageId", "b-1"));
      assertEquals(1L, sent.getJsonObject("body").getJsonObject("message").getLong("seq"));
      JsonObject again = aliceClient.request(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", thread).put("body", "via bridge").put("clientMessageId", "b-1"));
      assertEquals(sent.getJsonObject("body"), again.getJsonObject("body"));

      assertOk(aliceClient.request(Addresses.CLIENT_TYPING_START, new JsonObject().put("threadId", thread)));
      assertOk(aliceClient.request(Addresses.CLIENT_TYPING_STOP, new JsonObject().put("threadId", thread)));
      assertOk(aliceClient.request(Addresses.CLIENT_THREAD_LEAVE, new JsonObject().put("threadId", thread)));

      try (BridgeClient bobClient = system.bridge(bob)) {
        JsonObject read = bobClient.request(Addresses.CLIENT_THREAD_READ, new JsonObject().put("threadId", thread));
        assertEquals(new JsonObject().put("lastReadSeq", 1).put("unread", 0), read.getJsonObject("body"));
      }

      assertFailure(eveClient.request(Addresses.CLIENT_MESSAGE_SEND, new JsonObject().put("threadId", thread).put("body", "x")),
          403, "not_member");
      assertFailure(eveClient.request(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread)), 403, "not_member");
      assertFailure(eveClient.request(Addresses.CLIENT_TYPING_START, new JsonObject().put("threadId", thread)), 403, "not_member");
      assertFailure(aliceClient.request(Addresses.CLIENT_MESSAGE_SEND, new JsonObject().put("threadId", thread).put("body", " ")),
          400, "empty_message");
      assertFailure(aliceClient.request(Addresses.CLIENT_MESSAGE_SEND, new JsonObject().put("threadId", "nope").put("body", "x")),
          404, "thread_not_found");
      assertFailure(aliceClient.request(Addresses.CLIENT_THREAD_READ, "not an object"), 400, "invalid_request");
      assertFailure(aliceClient.request(Addresses.CLIENT_MESSAGE_SEND,
          new JsonObject().put("threadId", thread).put("body", "y".repeat(4001))), 413, "message_too_long");

      aliceClient.publish(Addresses.CLIENT_MESSAGE_SEND, new JsonObject().put("threadId", thread).put("body", "published"));
      assertEquals("rejected", aliceClient.nextError().getString("body"));
      aliceClient.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.MESSAGE_SEND)
          .put("body", new JsonObject().put("userId", alice).put("threadId", thread).put("body", "direct"))
          .put("replyAddress", UUID.randomUUID().toString()).encode());
      JsonObject refused = aliceClient.nextError();
      assertTrue(Set.of("access_denied", "rejected").contains(refused.getString("body")), refused.encode());
      assertEquals(1L, system.get(system.token(alice), "/api/threads/" + thread + "/messages").json()
          .getJsonArray("messages").size());
    }
  }

  @Test
  @DisplayName("A typing flood from one connection reaches other members as a single typing update and never fails for them")
  void typingFlood() {
    String thread = system.createThread(alice, "Typing", bob);
    try (BridgeClient aliceClient = system.bridge(alice); BridgeClient bobClient = system.bridge(bob)) {
      bobClient.register(Addresses.thread(thread));
      bobClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      int ok = 0;
      int limited = 0;
      for (int i = 0; i < 120; i++) {
        JsonObject reply = aliceClient.request(Addresses.CLIENT_TYPING_START, new JsonObject().put("threadId", thread));
        if ("rec".equals(reply.getString("type"))) {
          ok++;
        } else {
          assertFailure(reply, 429, "rate_limited");
          limited++;
        }
      }
      assertTrue(ok >= 1 && ok + limited == 120);
      bobClient.awaitMessage(Addresses.thread(thread), b -> "typing:update".equals(b.getString("type"))
          && b.getJsonArray("userIds").contains(alice));
      JsonObject bobTypes = bobClient.request(Addresses.CLIENT_TYPING_START, new JsonObject().put("threadId", thread));
      assertOk(bobTypes);
      bobClient.awaitMessage(Addresses.thread(thread), b -> "typing:update".equals(b.getString("type"))
          && b.getJsonArray("userIds").contains(bob));
      long aliceUpdates = bobClient.received(Addresses.thread(thread)).stream()
          .filter(b -> "typing:update".equals(b.getString("type")))
          .filter(b -> b.getJsonArray("userIds").equals(new JsonArray().add(alice)))
          .count();
      assertEquals(1, aliceUpdates);
    }
  }

  @Test
  @DisplayName("Sends beyond the per-user rate are refused with 429 rate_limited on HTTP and on the bridge alike")
  void sendRateLimit() {
    String thread = system.createThread(alice, "Flood", bob);
    int limited = 0;
    for (int i = 0; i < LIMITS.sendBurst() + 10; i++) {
      Response r = system.post(system.token(alice), "/api/threads/" + thread + "/messages", new JsonObject().put("body", "m" + i));
      if (r.status() == 429) {
        assertEquals("rate_limited", r.error());
        limited++;
      } else {
        assertEquals(201, r.status(), r.toString());
      }
    }
    assertTrue(limited > 0, "some sends must be limited");
    try (BridgeClient client = system.bridge(alice)) {
      assertFailure(client.request(Addresses.CLIENT_MESSAGE_SEND, new JsonObject().put("threadId", thread).put("body", "more")),
          429, "rate_limited");
    }
    assertEquals(201, system.post(system.token(bob), "/api/threads/" + thread + "/messages",
        new JsonObject().put("body", "bob is not limited")).status());
  }

  @Test
  @DisplayName("New users opening several bridge connections at once all get working connections")
  void concurrentFirstConnections() throws Exception {
    List<CompletableFuture<BridgeClient>> opening = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int u = 0; u < 8; u++) {
        String newcomer = user("newcomer");
        for (int i = 0; i < LIMITS.connectionsPerUser(); i++) {
          opening.add(CompletableFuture.supplyAsync(() -> system.bridge(newcomer), pool));
        }
      }
      for (CompletableFuture<BridgeClient> f : opening) {
        roundTrip(f.get(BridgeClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
    } finally {
      for (CompletableFuture<BridgeClient> f : opening) {
        f.handle((c, t) -> {
          if (c != null) {
            c.close();
          }
          return null;
        }).get(BridgeClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("A user's connections beyond the per-user limit are closed, and registrations beyond the per-socket limit are refused")
  void connectionAndRegistrationLimits() {
    List<BridgeClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < LIMITS.connectionsPerUser(); i++) {
        clients.add(system.bridge(alice));
      }
      for (BridgeClient c : clients) {
        roundTrip(c);
      }
      BridgeClient extra = system.bridge(alice);
      clients.add(extra);
      assertTrue(extra.awaitClosed(), "the connection over the limit is closed");

      BridgeClient first = clients.get(0);
      List<String> threads = new ArrayList<>();
      for (int i = 0; i < LIMITS.registrationsPerSocket(); i++) {
        threads.add(system.createThread(alice, "T" + i));
      }
      for (String t : threads) {
        first.register(Addresses.thread(t));
      }
      for (String t : threads) {
        first.awaitRegistered(system.vertx, Addresses.thread(t));
      }
      first.register(Addresses.user(alice));
      assertEquals("rejected", first.nextError().getString("body"));
      first.unregister(Addresses.thread(threads.get(0)));
      first.register(Addresses.user(alice));
      first.awaitRegistered(system.vertx, Addresses.user(alice));
    } finally {
      clients.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("The SockJS xhr transport works with the access token, and another user cannot write into that session")
  void xhrTransport() {
    String thread = system.createThread(alice, "Xhr");
    String session = UUID.randomUUID().toString().substring(0, 8);
    String base = "/eventbus/000/" + session;
    String aliceToken = "?access_token=" + system.token(alice);
    // A client of its own without keep-alive: the SockJS transport's requests must not race the shared
    // pool over connections that earlier tests' refused requests had the server close.
    io.vertx.ext.web.client.WebClient xhr = io.vertx.ext.web.client.WebClient.create(system.vertx,
        new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(system.port).setKeepAlive(false));
    var open = Await.result(xhr.post(base + "/xhr" + aliceToken).send());
    assertEquals(200, open.statusCode());
    assertEquals("o", open.bodyAsString().trim());

    String frame = new JsonObject().put("type", "send").put("address", Addresses.CLIENT_THREAD_JOIN)
        .put("body", new JsonObject().put("threadId", thread)).put("replyAddress", "r-1").encode();
    var sent = Await.result(xhr.post(base + "/xhr_send" + aliceToken)
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(new JsonArray().add(frame).encode())));
    assertEquals(204, sent.statusCode(), sent.bodyAsString());
    var poll = Await.result(xhr.post(base + "/xhr" + aliceToken).send());
    String body = poll.bodyAsString().trim();
    assertTrue(body.startsWith("a"), body);
    JsonObject reply = new JsonObject(new JsonArray(body.substring(1)).getString(0));
    assertEquals("r-1", reply.getString("address"));
    assertEquals(new JsonArray().add(alice), reply.getJsonObject("body").getJsonArray("onlineUserIds"));

    var hijack = Await.result(xhr.post(base + "/xhr_send?access_token=" + system.token(mallory))
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(new JsonArray().add(frame).encode())));
    assertEquals(403, hijack.statusCode());
    var noToken = Await.result(xhr.post(base + "/xhr_send")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(new JsonArray().add(frame).encode())));
    assertEquals(401, noToken.statusCode());
    xhr.close();
  }

  @Test
  @DisplayName("A bridge frame over the size limit closes that connection and harms no one else")
  void oversizedFrame() {
    try (BridgeClient big = system.bridge(alice); BridgeClient other = system.bridge(user("bob"))) {
      big.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.CLIENT_MESSAGE_SEND)
          .put("body", new JsonObject().put("body", "x".repeat(system.config.maxFrameBytes()))).encode());
      assertTrue(big.awaitClosed(), "the oversized frame closes the connection");
      roundTrip(other);
    }
    var xhr = Await.result(system.http.post("/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8)
            + "/xhr_send?access_token=" + system.token(alice))
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer("[\"" + "x".repeat(system.config.maxFrameBytes() + 10) + "\"]")));
    assertEquals(413, xhr.statusCode());
  }

  @Test
  @DisplayName("Sockets on one address share one route: one leaving does not stop the others; with address routing the last one out removes the address's consumer, with node routing the address never has one")
  void sharedConsumerPerAddress() {
    String thread = system.createThread(alice, "Shared");
    String address = Addresses.thread(thread);
    BridgeClient first = system.bridge(alice);
    BridgeClient second = system.bridge(alice);
    try {
      first.register(address);
      second.register(address);
      first.awaitRegistered(system.vertx, address);
      second.awaitRegistered(system.vertx, address);
      if (routing == BusRouting.NODE) {
        assertTrue(noHandlers(address), "node routing consumes no bus address per thread");
      }

      first.unregister(address);
      roundTrip(first);
      String text = "after one left " + UUID.randomUUID();
      system.sendMessage(alice, thread, text);
      second.awaitMessage(address, b -> "message:new".equals(b.getString("type"))
          && text.equals(b.getJsonObject("message").getString("body")));
      roundTrip(first);
      assertTrue(first.received(address).stream().noneMatch(b -> b.encode().contains(text)),
          "an unregistered socket receives nothing");

      second.close();
      assertTrue(second.awaitClosed());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BridgeClient.TIMEOUT_SECONDS);
      while (System.nanoTime() < deadline) {
        if (noHandlers(address)) {
          return;
        }
        Await.pause(50);
      }
      throw new AssertionError("the address is still consumed after its last socket closed");
    } finally {
      first.close();
      second.close();
    }
  }

  /** Whether nothing consumes {@code address} on the bus (a request to it fails with NO_HANDLERS). */
  private static boolean noHandlers(String address) {
    Throwable failure = system.vertx.eventBus()
        .request(address, new JsonObject(), new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(200))
        .map(m -> (Throwable) null)
        .otherwise(t -> t)
        .await();
    return failure instanceof io.vertx.core.eventbus.ReplyException re
        && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
  }

  @Test
  @DisplayName("Malformed bridge frames get the bridge's error frame naming what is wrong, and the socket keeps working")
  void protocolErrors() {
    try (BridgeClient client = system.bridge(alice)) {
      client.sendRaw("{not json");
      assertEquals("invalid_json", client.nextError().getString("body"));
      client.sendRaw("[1,2,3]");
      assertEquals("invalid_json", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("address", Addresses.CLIENT_THREAD_LEAVE).encode());
      assertEquals("missing_type", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", 7).put("address", Addresses.CLIENT_THREAD_LEAVE).encode());
      assertEquals("missing_type", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "send").encode());
      assertEquals("missing_address", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "register").put("address", 42).encode());
      assertEquals("missing_address", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "shout").put("address", Addresses.CLIENT_THREAD_LEAVE).encode());
      assertEquals("invalid_type", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.CLIENT_THREAD_LEAVE)
          .put("body", new JsonObject().put("threadId", UUID.randomUUID().toString()))
          .put("replyAddress", "r".repeat(37)).encode());
      assertEquals("invalid_reply_address", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "send").put("address", Addresses.CLIENT_THREAD_LEAVE)
          .put("body", new JsonObject()).put("replyAddress", 5).encode());
      assertEquals("invalid_reply_address", client.nextError().getString("body"));
      client.sendRaw(new JsonObject().put("type", "ping").encode());
      client.unregister(Addresses.user("somebody-else"));
      roundTrip(client);
      assertFalse(client.isClosed());
    }
  }

  private static void roundTrip(BridgeClient client) {
    JsonObject reply = client.request(Addresses.CLIENT_THREAD_LEAVE, new JsonObject().put("threadId", UUID.randomUUID().toString()));
    assertNotNull(reply.getString("type"));
  }

  private static void assertOk(JsonObject reply) {
    assertEquals("rec", reply.getString("type"), reply.encode());
    assertEquals(new JsonObject().put("ok", true), reply.getJsonObject("body"));
  }

  private static void assertFailure(JsonObject reply, int status, String code) {
    assertEquals("err", reply.getString("type"), reply.encode());
    assertEquals(status, reply.getInteger("failureCode"), reply.encode());
    assertEquals(code, reply.getString("message"), reply.encode());
  }
}
