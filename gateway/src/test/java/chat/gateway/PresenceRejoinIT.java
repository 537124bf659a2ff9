package chat.gateway;

import static chat.shared.testing.Checkpoints.flagOn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.testing.BridgeClient;
import chat.shared.testing.Checkpoints;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PresenceRejoinIT {
  private static GatewaySystem system;

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(PresenceRejoinIT.class, env -> env.put("HEARTBEAT_SECONDS", "1"), null);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("When presence loses every entry (a restart with an empty store), users still connected are shown online again within a heartbeat")
  void connectedUsersRejoinAfterPresenceLosesItsEntries(VertxTestContext ctx) {
    String thread = system.createThread("alice", "rejoin", "bob");
    try (BridgeClient alice = system.bridge("alice")) {
      JsonObject joined = alice.request(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread));
      assertEquals(new JsonArray().add("alice"), joined.getJsonObject("body").getJsonArray("onlineUserIds"));

      system.restartPresence();

      try (BridgeClient bob = system.bridge("bob")) {
        bob.register(Addresses.thread(thread));
        bob.awaitRegistered(system.vertx, Addresses.thread(thread));
        bob.request(Addresses.CLIENT_THREAD_JOIN, new JsonObject().put("threadId", thread));
        Checkpoint aliceAndBobShownOnline = ctx.checkpoint();
        flagOn(ctx, aliceAndBobShownOnline, bob.expect(Addresses.thread(thread), m ->
            "presence:update".equals(m.getString("type"))
                && m.getJsonArray("onlineUserIds").contains("alice")
                && m.getJsonArray("onlineUserIds").contains("bob")),
            update -> assertEquals(new JsonArray().add("alice").add("bob"), update.getJsonArray("onlineUserIds")));
        Checkpoints.await(ctx);
      }
    }
  }
}
