package chat.shared.bus;

import static chat.shared.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.CheckMember;
import chat.shared.protocol.Messaging.MemberRemoved;
import chat.shared.protocol.Messaging.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BusTest {
  private static final String THREAD = "0a8f4c2e-1b7d-4e8e-9a5b-3c2d1e0f9a8b";
  private final Vertx vertx = Vertx.vertx();
  private final Bus bus = new Bus(vertx, 2_000);

  @AfterEach
  void close() {
    result(vertx.close());
  }

  @Test
  @DisplayName("A malformed request is refused with the catalogue's error and the handler never runs")
  void malformedNeverReachesHandler() {
    AtomicInteger calls = new AtomicInteger();
    result(Bus.serve(vertx, Messaging.MEMBER_CHECK, req -> {
      calls.incrementAndGet();
      return Future.succeededFuture(new Role("member"));
    }).completion());
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("userId", "a b").put("threadId", THREAD),
        new JsonObject().put("userId", 7).put("threadId", THREAD), new JsonObject().put("userId", "a"))) {
      ChatException e = assertThrows(ChatException.class, () -> result(bus.request(Messaging.MEMBER_CHECK.address(), bad)));
      assertEquals(ErrorCode.INVALID_REQUEST, e.code(), bad.encode());
    }
    ChatException notFound = assertThrows(ChatException.class, () -> result(bus.request(Messaging.MEMBER_CHECK.address(),
        new JsonObject().put("userId", "a").put("threadId", "x"))));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, notFound.code());
    assertEquals(0, calls.get());
    assertEquals(new Role("member"), result(bus.request(Messaging.MEMBER_CHECK, new CheckMember("a", THREAD))));
    assertEquals(1, calls.get());
  }

  @Test
  @DisplayName("A handler's failure comes back as its code; a malformed event is dropped before the consumer")
  void failuresAndEvents() {
    result(Bus.serve(vertx, Messaging.MEMBER_CHECK,
        req -> Future.failedFuture(new ChatException(ErrorCode.NOT_MEMBER, "no"))).completion());
    ChatException e = assertThrows(ChatException.class,
        () -> result(bus.request(Messaging.MEMBER_CHECK, new CheckMember("a", THREAD))));
    assertEquals(ErrorCode.NOT_MEMBER, e.code());
    List<MemberRemoved> seen = new CopyOnWriteArrayList<>();
    result(Bus.consume(vertx, Messaging.MEMBER_REMOVED, seen::add).completion());
    vertx.eventBus().publish(Messaging.MEMBER_REMOVED.address(), new JsonObject().put("threadId", "x").put("userId", "a"));
    Bus.publish(vertx, Messaging.MEMBER_REMOVED, new MemberRemoved(THREAD, "a"));
    long deadline = System.currentTimeMillis() + 2_000;
    while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(List.of(new MemberRemoved(THREAD, "a")), seen);
  }
}
