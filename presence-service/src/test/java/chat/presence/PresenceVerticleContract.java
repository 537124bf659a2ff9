package chat.presence;

import static chat.shared.testing.Checkpoints.flagOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BusEvents;
import chat.shared.testing.Checkpoints;
import chat.shared.testing.Await;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.model.Events;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * presence-service over the event bus, as gateways and clients see it: what is published to
 * {@code chat.thread.<id>} after each call. Every test ends with a "marker" change so that a duplicate or
 * stray event before it would be seen. A live gateway heartbeats throughout; TTLs are short (2 s).
 */
@ExtendWith(VertxExtension.class)
abstract class PresenceVerticleContract {
  static final String LIVE_GW = "gw-live";

  protected Vertx vertx;
  protected ChatConfig config;
  protected Bus bus;
  private long heartbeatTimer;
  private final String thread = UUID.randomUUID().toString();
  private BusEvents events;

  /** The service's environment (without TTLs, which this suite sets). */
  protected abstract Map<String, String> env();

  /** How many presence-service instances share the store. */
  protected abstract int instances();

  protected void cleanUp() {}

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    Map<String, String> env = env();
    env.put("PRESENCE_TTL_SECONDS", "2");
    env.put("TYPING_TTL_SECONDS", "2");
    env.put("HEARTBEAT_SECONDS", "1");
    config = ChatConfig.from(env);
    for (int i = 0; i < instances(); i++) {
      Await.result(vertx.deployVerticle(new PresenceVerticle(config)));
    }
    bus = new Bus(vertx, 5000);
    heartbeatTimer = vertx.setPeriodic(0, 500, id -> bus.request(Addresses.PRESENCE_HEARTBEAT, new JsonObject().put("gatewayId", LIVE_GW)));
    events = BusEvents.open(vertx, Addresses.thread(thread));
  }

  @AfterEach
  void undeploy() {
    vertx.cancelTimer(heartbeatTimer);
    events.close();
    for (String id : vertx.deploymentIDs()) {
      Await.result(vertx.undeploy(id));
    }
    cleanUp();
    Await.result(vertx.close());
  }

  private JsonObject call(String address, JsonObject body) {
    return Await.result(bus.request(address, body));
  }

  private JsonObject join(String threadId, String user, String conn, String gateway) {
    return call(Addresses.PRESENCE_JOIN, new JsonObject()
        .put("threadId", threadId).put("userId", user).put("connectionId", conn).put("gatewayId", gateway));
  }

  private JsonObject join(String user, String conn) {
    return join(thread, user, conn, LIVE_GW);
  }

  private void leave(String user, String conn) {
    assertEquals(new JsonObject().put("ok", true),
        call(Addresses.PRESENCE_LEAVE, new JsonObject().put("threadId", thread).put("userId", user).put("connectionId", conn)));
  }

  private void typing(String address, String user) {
    call(address, new JsonObject().put("threadId", thread).put("userId", user));
  }

  private static void assertPresenceIn(String threadId, JsonObject event, String... users) {
    assertEquals(Events.presenceUpdate(threadId, List.of(users)), event);
  }

  private void assertPresence(JsonObject event, String... users) {
    assertPresenceIn(thread, event, users);
  }

  private void assertTyping(JsonObject event, String... users) {
    assertEquals(Events.typingUpdate(thread, List.of(users)), event);
  }

  /** For tests that end with nobody online: a marker join must be the very next event. */
  private void assertNothingElseBeforeMarker() {
    join("marker", "marker-1");
    assertPresence(events.next(), "marker");
  }

  @Test
  @DisplayName("Users arriving and leaving on several devices produce exactly one presence:update per change of the list")
  void presenceUpdatesOncePerChange() {
    JsonObject reply = join("alice", "alice-phone");
    assertEquals(new JsonArray(List.of("alice")), reply.getJsonArray("onlineUserIds"));
    assertEquals(new JsonArray(), reply.getJsonArray("typingUserIds"));
    assertPresence(events.next(), "alice");

    join("alice", "alice-laptop");
    join("alice", "alice-laptop");
    JsonObject bobsView = join("bob", "bob-1");
    assertEquals(new JsonArray(List.of("alice", "bob")), bobsView.getJsonArray("onlineUserIds"));
    assertPresence(events.next(), "alice", "bob");

    leave("alice", "alice-phone");
    leave("alice", "alice-laptop");
    assertPresence(events.next(), "bob");
    leave("alice", "alice-laptop");
    leave("bob", "bob-1");
    assertPresence(events.next());
    assertNothingElseBeforeMarker();
  }

  @Test
  @DisplayName("A typist repeating typing:start is announced once, and the sweeper announces once when their typing expires")
  void typingAnnouncedOnceAndExpires(VertxTestContext ctx) {
    for (int i = 0; i < 25; i++) {
      typing(Addresses.PRESENCE_TYPING_START, "alice");
    }
    assertTyping(events.next(), "alice");
    Checkpoint expiryAnnounced = ctx.checkpoint();
    flagOn(ctx, expiryAnnounced, events.nextEvent(), e -> assertTyping(e));
    Checkpoints.await(ctx, Duration.ofSeconds(4));
    assertNothingElseBeforeMarker();
  }

  @Test
  @DisplayName("typing:stop clears a typist at once, and a repeated stop publishes nothing")
  void typingStop() {
    typing(Addresses.PRESENCE_TYPING_START, "alice");
    typing(Addresses.PRESENCE_TYPING_START, "bob");
    assertTyping(events.next(), "alice");
    assertTyping(events.next(), "alice", "bob");
    typing(Addresses.PRESENCE_TYPING_STOP, "alice");
    typing(Addresses.PRESENCE_TYPING_STOP, "alice");
    assertTyping(events.next(), "bob");
    typing(Addresses.PRESENCE_TYPING_STOP, "bob");
    assertTyping(events.next());
    assertNothingElseBeforeMarker();
  }

  @Test
  @DisplayName("Sending a message in the thread clears the author's typing indicator")
  void sendClearsTyping() {
    typing(Addresses.PRESENCE_TYPING_START, "alice");
    assertTyping(events.next(), "alice");
    vertx.eventBus().send(Addresses.EVENT_MESSAGE_SENT_PRESENCE, new JsonObject().put("threadId", thread).put("authorId", "alice"));
    assertTyping(events.next(1));
    assertNothingElseBeforeMarker();
  }

  @Test
  @DisplayName("A closed connection leaves every thread it joined and stops its user typing there")
  void disconnectLeavesEverywhere(VertxTestContext ctx) {
    String other = UUID.randomUUID().toString();
    try (BusEvents otherEvents = BusEvents.open(vertx, Addresses.thread(other))) {
      join("alice", "a1");
      join(other, "alice", "a1", LIVE_GW);
      assertPresence(events.next(), "alice");
      assertPresenceIn(other, otherEvents.next(), "alice");
      typing(Addresses.PRESENCE_TYPING_START, "alice");
      assertTyping(events.next(), "alice");

      Checkpoint leftThread = ctx.checkpoint();
      Checkpoint stoppedTypingThere = ctx.checkpoint();
      Checkpoint leftOtherThread = ctx.checkpoint();
      flagOn(ctx, leftThread, events.nextEvent(), e -> assertPresence(e));
      flagOn(ctx, stoppedTypingThere, events.nextEvent(), e -> assertTyping(e));
      flagOn(ctx, leftOtherThread, otherEvents.nextEvent(), e -> assertPresenceIn(other, e));
      call(Addresses.PRESENCE_DISCONNECT, new JsonObject().put("userId", "alice").put("connectionId", "a1").put("gatewayId", LIVE_GW));
      Checkpoints.await(ctx);
      assertNothingElseBeforeMarker();
    }
  }

  @Test
  @DisplayName("The users of a gateway that stops heartbeating leave the thread within the presence TTL; others stay")
  void silentGatewayLosesItsUsers(VertxTestContext ctx) {
    join(thread, "alice", "a1", "gw-dead");
    assertPresence(events.next(), "alice");
    join("bob", "b1");
    assertPresence(events.next(), "alice", "bob");
    Checkpoint silentGatewaysUserLeft = ctx.checkpoint();
    flagOn(ctx, silentGatewaysUserLeft, events.nextEvent(), e -> assertPresence(e, "bob"));
    Checkpoints.await(ctx, Duration.ofSeconds(6));
    join("carol", "c1");
    assertPresence(events.next(), "bob", "carol");
  }

  @Test
  @DisplayName("A member removed from a thread disappears from its presence and typing lists")
  void memberRemoved() {
    join("alice", "a1");
    join("bob", "b1");
    assertPresence(events.next(), "alice");
    assertPresence(events.next(), "alice", "bob");
    vertx.eventBus().publish(Addresses.EVENT_MEMBER_REMOVED, new JsonObject().put("threadId", thread).put("userId", "bob"));
    assertPresence(events.next(), "alice");
    join("carol", "c1");
    assertPresence(events.next(), "alice", "carol");
  }

  @Test
  @DisplayName("A heartbeat answers ok and tells the gateway whether presence still knows it")
  void heartbeatReply() {
    JsonObject first = call(Addresses.PRESENCE_HEARTBEAT, new JsonObject().put("gatewayId", "gw-new-" + thread));
    assertEquals(new JsonObject().put("ok", true).put("known", false), first);
    JsonObject second = call(Addresses.PRESENCE_HEARTBEAT, new JsonObject().put("gatewayId", "gw-new-" + thread));
    assertEquals(new JsonObject().put("ok", true).put("known", true), second);
  }

  @Test
  @DisplayName("Malformed presence requests are refused as invalid, and a thread id that cannot exist as not found")
  void invalidRequests() {
    ChatException missing = (ChatException) Await.failure(bus.request(Addresses.PRESENCE_JOIN,
        new JsonObject().put("threadId", thread).put("userId", "alice").put("gatewayId", LIVE_GW)));
    assertEquals(ErrorCode.INVALID_REQUEST, missing.code());
    ChatException badThread = (ChatException) Await.failure(bus.request(Addresses.PRESENCE_TYPING_START,
        new JsonObject().put("threadId", "../etc").put("userId", "alice")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, badThread.code());
    ChatException badUser = (ChatException) Await.failure(bus.request(Addresses.PRESENCE_TYPING_START,
        new JsonObject().put("threadId", thread).put("userId", 42)));
    assertEquals(ErrorCode.INVALID_REQUEST, badUser.code());
    join("bob", "b1");
    assertTrue(events.next().getJsonArray("onlineUserIds").contains("bob"));
  }
}
