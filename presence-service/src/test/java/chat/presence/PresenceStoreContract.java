package chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one {@link PresenceStore} suite: every implementation runs it (a subclass per implementation).
 * Time is a hand-moved clock, so expiry is exact and nothing sleeps.
 */
abstract class PresenceStoreContract {
  static final Duration PRESENCE_TTL = Duration.ofSeconds(2);
  static final Duration TYPING_TTL = Duration.ofSeconds(1);

  protected final TestClock clock = new TestClock();
  protected PresenceStore store;
  private final String thread = UUID.randomUUID().toString();
  private final String otherThread = UUID.randomUUID().toString();

  /** A store with {@link #PRESENCE_TTL} and {@link #TYPING_TTL} on {@link #clock}, empty for this test. */
  protected abstract PresenceStore createStore();

  /** A second handle on the same data, as a second service instance would have (the same store in memory). */
  protected abstract PresenceStore secondInstance();

  protected abstract void cleanUp();

  @BeforeEach
  void setUpStore() {
    store = createStore();
  }

  @AfterEach
  void tearDownStore() {
    cleanUp();
  }

  private Changes join(String threadId, String user, String conn, String gateway) {
    return Await.result(store.join(threadId, user, conn, gateway)).changes();
  }

  private List<String> online(String threadId) {
    return Await.result(store.snapshot(threadId)).onlineUserIds();
  }

  private List<String> typing(String threadId) {
    return Await.result(store.snapshot(threadId)).typingUserIds();
  }

  @Test
  @DisplayName("A user who joins a thread is reported online there, and the join answers the thread's current lists")
  void joinReportsOnline() {
    Await.result(store.typingStart(thread, "carol"));
    Joined first = Await.result(store.join(thread, "bob", "b1", "gw1"));
    assertEquals(Map.of(thread, List.of("bob")), first.changes().presence());
    Joined second = Await.result(store.join(thread, "alice", "a1", "gw1"));
    assertEquals(Map.of(thread, List.of("alice", "bob")), second.changes().presence());
    assertEquals(List.of("alice", "bob"), second.snapshot().onlineUserIds());
    assertEquals(List.of("carol"), second.snapshot().typingUserIds());
    assertTrue(second.changes().typing().isEmpty());
  }

  @Test
  @DisplayName("Joining again with the same connection changes nothing, so nobody gets a duplicate update")
  void rejoinIsNoChange() {
    join(thread, "alice", "a1", "gw1");
    assertTrue(join(thread, "alice", "a1", "gw1").isEmpty());
    assertEquals(List.of("alice"), online(thread));
  }

  @Test
  @DisplayName("A user with two devices stays online when one of them leaves, and goes offline when the last one leaves")
  void multiDevice() {
    join(thread, "alice", "phone", "gw1");
    assertTrue(join(thread, "alice", "laptop", "gw2").isEmpty());
    join(thread, "bob", "b1", "gw1");

    assertTrue(Await.result(store.leave(thread, "alice", "phone")).isEmpty());
    assertEquals(List.of("alice", "bob"), online(thread));

    Changes last = Await.result(store.leave(thread, "alice", "laptop"));
    assertEquals(Map.of(thread, List.of("bob")), last.presence());
    assertEquals(List.of("bob"), online(thread));
    assertTrue(Await.result(store.leave(thread, "alice", "laptop")).isEmpty());
  }

  @Test
  @DisplayName("Leaving a thread one never joined changes nothing")
  void leaveUnknown() {
    join(thread, "bob", "b1", "gw1");
    assertTrue(Await.result(store.leave(thread, "alice", "a1")).isEmpty());
    assertTrue(Await.result(store.leave(otherThread, "bob", "b1")).isEmpty());
    assertEquals(List.of("bob"), online(thread));
  }

  @Test
  @DisplayName("Closing a connection takes the user out of every thread it joined, clears their typing there, and leaves others alone")
  void disconnectCleansUp() {
    join(thread, "alice", "a1", "gw1");
    join(otherThread, "alice", "a1", "gw1");
    join(thread, "bob", "b1", "gw1");
    Await.result(store.typingStart(thread, "alice"));
    Await.result(store.typingStart(thread, "bob"));

    Changes changes = Await.result(store.disconnect("a1"));
    assertEquals(Map.of(thread, List.of("bob"), otherThread, List.of()), changes.presence());
    assertEquals(Map.of(thread, List.of("bob")), changes.typing());
    assertEquals(List.of("bob"), typing(thread));
    assertTrue(Await.result(store.disconnect("a1")).isEmpty());
  }

  @Test
  @DisplayName("Closing one of two connections keeps the user online and typing in the thread")
  void disconnectOneOfTwo() {
    join(thread, "alice", "a1", "gw1");
    join(thread, "alice", "a2", "gw1");
    Await.result(store.typingStart(thread, "alice"));
    assertTrue(Await.result(store.disconnect("a1")).isEmpty());
    assertEquals(List.of("alice"), online(thread));
    assertEquals(List.of("alice"), typing(thread));
  }

  @Test
  @DisplayName("The users of a gateway that stops heartbeating disappear once the presence TTL passes, reported once")
  void deadGatewayExpires() {
    join(thread, "alice", "a1", "dead-gw");
    join(thread, "bob", "b1", "live-gw");
    clock.advance(PRESENCE_TTL.toMillis() - 500);
    Await.result(store.heartbeat("live-gw"));
    assertTrue(Await.result(store.sweep(clock.millis())).isEmpty());

    clock.advance(600);
    Changes expired = Await.result(store.sweep(clock.millis()));
    assertEquals(Map.of(thread, List.of("bob")), expired.presence());
    assertTrue(Await.result(store.sweep(clock.millis())).isEmpty());
    assertEquals(List.of("bob"), online(thread));
  }

  @Test
  @DisplayName("A gateway that keeps heartbeating keeps its users online long after the TTL")
  void heartbeatKeepsAlive() {
    join(thread, "alice", "a1", "gw1");
    for (int i = 0; i < 10; i++) {
      clock.advance(PRESENCE_TTL.toMillis() / 2);
      Await.result(store.heartbeat("gw1"));
      assertTrue(Await.result(store.sweep(clock.millis())).isEmpty());
    }
    assertEquals(List.of("alice"), online(thread));
  }

  @Test
  @DisplayName("A heartbeat tells a gateway whose users were dropped that it is unknown, so it joins its live connections again")
  void heartbeatAfterExpiryIsUnknown() {
    assertFalse(Await.result(store.heartbeat("gw1")));
    join(thread, "alice", "a1", "gw1");
    join(thread, "bob", "b1", "gw1");
    assertTrue(Await.result(store.heartbeat("gw1")));
    clock.advance(PRESENCE_TTL.toMillis() + 1);
    Await.result(store.sweep(clock.millis()));
    assertEquals(List.of(), online(thread));

    join(otherThread, "carol", "c1", "gw1");
    assertFalse(Await.result(store.heartbeat("gw1")), "a join after the loss must not hide it");
    assertTrue(Await.result(store.heartbeat("gw1")));
    assertEquals(Map.of(thread, List.of("alice")), join(thread, "alice", "a1", "gw1").presence());
  }

  @Test
  @DisplayName("When the cluster reports a gateway gone, its users leave every thread at once, once")
  void removeGateway() {
    join(thread, "alice", "a1", "gone");
    join(otherThread, "alice", "a1", "gone");
    join(thread, "alice", "a2", "other");
    join(otherThread, "carol", "c1", "gone");
    Await.result(store.typingStart(otherThread, "carol"));

    Changes changes = Await.result(store.removeGateway("gone"));
    assertEquals(Map.of(otherThread, List.of()), changes.presence());
    assertEquals(Map.of(otherThread, List.of()), changes.typing());
    assertEquals(List.of("alice"), online(thread));
    assertTrue(Await.result(store.removeGateway("gone")).isEmpty());
  }

  @Test
  @DisplayName("Typing is reported when it starts, not again while it repeats, and cleared by stop")
  void typingStartStop() {
    assertEquals(Map.of(thread, List.of("alice")), Await.result(store.typingStart(thread, "alice")).typing());
    for (int i = 0; i < 20; i++) {
      assertTrue(Await.result(store.typingStart(thread, "alice")).isEmpty());
    }
    assertEquals(Map.of(thread, List.of("alice", "bob")), Await.result(store.typingStart(thread, "bob")).typing());
    assertEquals(Map.of(thread, List.of("bob")), Await.result(store.typingStop(thread, "alice")).typing());
    assertTrue(Await.result(store.typingStop(thread, "alice")).isEmpty());
    assertEquals(List.of("bob"), typing(thread));
  }

  @Test
  @DisplayName("Typing expires the typing TTL after the last start, and the expiry is reported once")
  void typingExpires() {
    Await.result(store.typingStart(thread, "alice"));
    clock.advance(TYPING_TTL.toMillis() - 200);
    Await.result(store.typingStart(thread, "alice"));
    Await.result(store.typingStart(thread, "bob"));
    clock.advance(300);
    assertTrue(Await.result(store.sweepTyping(clock.millis())).isEmpty());
    assertEquals(List.of("alice", "bob"), typing(thread));

    clock.advance(TYPING_TTL.toMillis());
    Changes expired = Await.result(store.sweepTyping(clock.millis()));
    assertEquals(Map.of(thread, List.of()), expired.typing());
    assertTrue(expired.presence().isEmpty());
    assertTrue(Await.result(store.sweep(clock.millis())).isEmpty());
    assertEquals(List.of(), typing(thread));
  }

  @Test
  @DisplayName("Removing a member takes all their connections out of that thread and clears their typing, nothing else")
  void removeMember() {
    join(thread, "alice", "a1", "gw1");
    join(thread, "alice", "a2", "gw2");
    join(otherThread, "alice", "a1", "gw1");
    join(thread, "bob", "b1", "gw1");
    Await.result(store.typingStart(thread, "alice"));

    Changes changes = Await.result(store.removeMember(thread, "alice"));
    assertEquals(Map.of(thread, List.of("bob")), changes.presence());
    assertEquals(Map.of(thread, List.of()), changes.typing());
    assertEquals(List.of("alice"), online(otherThread));
    assertTrue(Await.result(store.removeMember(thread, "alice")).isEmpty());
    assertEquals(Map.of(otherThread, List.of()), Await.result(store.disconnect("a1")).presence());
  }

  @Test
  @DisplayName("Each change carries a higher version than the one before")
  void versionsIncrease() {
    long v1 = join(thread, "alice", "a1", "gw1").version();
    long v2 = Await.result(store.typingStart(thread, "alice")).version();
    long v3 = Await.result(store.leave(thread, "alice", "a1")).version();
    assertTrue(v1 > 0 && v2 > v1 && v3 > v2, () -> v1 + " " + v2 + " " + v3);
  }

  @Test
  @DisplayName("Two instances sweeping the same expired gateway and typing report each expiry exactly once")
  void concurrentSweepsReportOnce() {
    PresenceStore second = secondInstance();
    for (int i = 0; i < 20; i++) {
      join(UUID.randomUUID().toString(), "u" + i, "c" + i, "dead");
      Await.result(store.typingStart(thread, "u" + i));
    }
    clock.advance(PRESENCE_TTL.toMillis() + 1);
    List<Changes> results = new ArrayList<>();
    List<io.vertx.core.Future<Changes>> sweeps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sweeps.add(store.sweep(clock.millis()));
      sweeps.add(second.sweep(clock.millis()));
    }
    sweeps.forEach(f -> results.add(Await.result(f)));
    long presenceReports = results.stream().mapToLong(c -> c.presence().size()).sum();
    long typingReports = results.stream().mapToLong(c -> c.typing().size()).sum();
    assertEquals(20, presenceReports);
    assertEquals(1, typingReports);
  }
}
