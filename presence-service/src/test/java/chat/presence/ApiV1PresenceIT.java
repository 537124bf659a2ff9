package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.api.v1.ApiV1;
import chat.client.ChatClient;
import chat.messaging.MessagingVerticle;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Presence;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code chat.api.v1.presence.get} against the real presence-service (in memory) and messaging-service (Postgres). */
class ApiV1PresenceIT {
  private static Vertx vertx;
  private static ChatConfig config;
  private static Bus bus;
  private static ChatClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config = TestEnv.forClass(ApiV1PresenceIT.class);
    vertx.deployVerticle(new MessagingVerticle(config)).await();
    vertx.deployVerticle(new PresenceVerticle(config)).await();
    bus = new Bus(vertx, 10_000);
    client = ChatClient.on(vertx, "notifier", 10_000);
  }

  @AfterAll
  static void stop() {
    try {
      TestEnv.dropSchema(vertx, config);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("A member reads who is online and typing; a non-member, an unknown thread and a malformed request are refused")
  void presenceOfAThread() {
    String t = bus.request(Messaging.THREAD_CREATE, new Messaging.CreateThread("amy", "Desk", List.of("bob", "notifier-bot")))
        .await().id();
    bus.request(Presence.JOIN, new Presence.Join("bob", t, "conn-1", "gw-1")).await();
    bus.request(Presence.JOIN, new Presence.Join("amy", t, "conn-2", "gw-1")).await();
    bus.request(Presence.TYPING_START, new Presence.Typing("bob", t)).await();

    ApiV1.PresenceReply reply = client.presence("notifier-bot", t).await();
    assertEquals(new ApiV1.PresenceReply(t, List.of("amy", "bob"), List.of("bob")), reply);

    assertEquals(ErrorCode.NOT_MEMBER, code(() -> client.presence("outsider", t).await()));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, code(() -> client.presence("amy", UUID.randomUUID().toString()).await()));
    JsonObject q = new JsonObject().put("userId", "amy").put("via", "notifier").put("threadId", t);
    assertEquals(ErrorCode.INVALID_REQUEST, raw(without(q, "via")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(q.copy().put("via", "NOT OK")));
    assertEquals(ErrorCode.INVALID_REQUEST, raw(q.copy().put("userId", 42)));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, raw(q.copy().put("threadId", "x")));
  }

  private static JsonObject without(JsonObject body, String field) {
    JsonObject copy = body.copy();
    copy.remove(field);
    return copy;
  }

  private static ErrorCode raw(JsonObject body) {
    return code(() -> bus.request(ApiV1.PRESENCE_GET, body).await());
  }

  private static ErrorCode code(Supplier<?> call) {
    return assertThrows(ChatException.class, call::get).code();
  }
}
