package chat.presence;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link PresenceStore} in this process's memory: the default when no Redis is configured (the
 * one-process run). Every operation runs under one lock, so it is atomic like the Redis scripts.
 */
public final class InMemoryPresenceStore implements PresenceStore {
  private record Connection(String userId, String gatewayId, Set<String> threads) {}

  private static final class Gateway {
    long lastSeenMs;
    boolean confirmed;
    final Set<String> connections = new HashSet<>();
  }

  private final Clock clock;
  private final long presenceTtlMs;
  private final long typingTtlMs;
  private final Map<String, Map<String, String>> usersByConnectionByThread = new HashMap<>();
  private final Map<String, Connection> connections = new HashMap<>();
  private final Map<String, Gateway> gateways = new HashMap<>();
  private final Map<String, Map<String, Long>> typingExpiryByThread = new HashMap<>();
  private long version;

  public InMemoryPresenceStore(Duration presenceTtl, Duration typingTtl, Clock clock) {
    this.clock = clock;
    this.presenceTtlMs = presenceTtl.toMillis();
    this.typingTtlMs = typingTtl.toMillis();
  }

  @Override
  public synchronized Future<Joined> join(String threadId, String userId, String connectionId, String gatewayId) {
    Tracker t = new Tracker();
    long now = clock.millis();
    Connection conn = connections.get(connectionId);
    if (conn != null && !conn.gatewayId().equals(gatewayId)) {
      gateway(conn.gatewayId()).connections.remove(connectionId);
      conn = new Connection(conn.userId(), gatewayId, conn.threads());
      connections.put(connectionId, conn);
    }
    if (conn == null) {
      conn = new Connection(userId, gatewayId, new HashSet<>());
      connections.put(connectionId, conn);
    }
    Gateway gw = gateway(gatewayId);
    gw.lastSeenMs = Math.max(gw.lastSeenMs, now);
    gw.connections.add(connectionId);
    boolean wasOnline = isOnline(threadId, userId);
    usersByConnectionByThread.computeIfAbsent(threadId, k -> new HashMap<>()).put(connectionId, userId);
    conn.threads().add(threadId);
    if (!wasOnline) {
      t.presence.add(threadId);
    }
    return Future.succeededFuture(new Joined(snapshotNow(threadId), t.changes()));
  }

  @Override
  public synchronized Future<Changes> leave(String threadId, String userId, String connectionId) {
    return tracked(t -> {
      dropFromThread(connectionId, threadId, t);
      forgetIfIdle(connectionId);
    });
  }

  @Override
  public synchronized Future<Changes> disconnect(String connectionId) {
    Tracker t = new Tracker();
    Connection conn = connections.get(connectionId);
    if (conn != null) {
      for (String thread : List.copyOf(conn.threads())) {
        dropFromThread(connectionId, thread, t);
      }
      forgetIfIdle(connectionId);
    }
    return Future.succeededFuture(t.changes());
  }

  @Override
  public synchronized Future<Boolean> heartbeat(String gatewayId) {
    Gateway gw = gateway(gatewayId);
    boolean known = gw.confirmed;
    gw.confirmed = true;
    gw.lastSeenMs = Math.max(gw.lastSeenMs, clock.millis());
    return Future.succeededFuture(known);
  }

  @Override
  public synchronized Future<Changes> removeGateway(String gatewayId) {
    return tracked(t -> dropGateway(gatewayId, t));
  }

  @Override
  public synchronized Future<Changes> removeMember(String threadId, String userId) {
    Tracker t = new Tracker();
    Map<String, String> users = usersByConnectionByThread.getOrDefault(threadId, Map.of());
    List<String> theirs = users.entrySet().stream().filter(e -> e.getValue().equals(userId)).map(Map.Entry::getKey).toList();
    for (String connectionId : theirs) {
      dropFromThread(connectionId, threadId, t);
      forgetIfIdle(connectionId);
    }
    clearTyping(threadId, userId, t);
    return Future.succeededFuture(t.changes());
  }

  @Override
  public synchronized Future<Changes> typingStart(String threadId, String userId) {
    Tracker t = new Tracker();
    Long previous = typingExpiryByThread.computeIfAbsent(threadId, k -> new HashMap<>())
        .put(userId, clock.millis() + typingTtlMs);
    if (previous == null) {
      t.typing.add(threadId);
    }
    return Future.succeededFuture(t.changes());
  }

  @Override
  public synchronized Future<Changes> typingStop(String threadId, String userId) {
    return tracked(t -> clearTyping(threadId, userId, t));
  }

  @Override
  public synchronized Future<Changes> sweep(long nowMs) {
    Tracker t = new Tracker();
    expireTyping(nowMs, t);
    List<String> silent = gateways.entrySet().stream()
        .filter(e -> e.getValue().lastSeenMs <= nowMs - presenceTtlMs)
        .map(Map.Entry::getKey)
        .toList();
    silent.forEach(gw -> dropGateway(gw, t));
    return Future.succeededFuture(t.changes());
  }

  @Override
  public synchronized Future<Changes> sweepTyping(long nowMs) {
    return tracked(t -> expireTyping(nowMs, t));
  }

  /** Runs a change with a tracker of what it changed, and answers those changes. */
  private Future<Changes> tracked(Consumer<Tracker> change) {
    Tracker t = new Tracker();
    change.accept(t);
    return Future.succeededFuture(t.changes());
  }

  @Override
  public synchronized Future<Snapshot> snapshot(String threadId) {
    return Future.succeededFuture(snapshotNow(threadId));
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private Gateway gateway(String gatewayId) {
    return gateways.computeIfAbsent(gatewayId, k -> new Gateway());
  }

  private void expireTyping(long nowMs, Tracker t) {
    typingExpiryByThread.forEach((thread, expiries) -> {
      if (expiries.values().removeIf(expiry -> expiry <= nowMs)) {
        t.typing.add(thread);
      }
    });
    typingExpiryByThread.values().removeIf(Map::isEmpty);
  }

  private void dropGateway(String gatewayId, Tracker t) {
    Gateway gw = gateways.remove(gatewayId);
    if (gw == null) {
      return;
    }
    for (String connectionId : gw.connections) {
      Connection conn = connections.get(connectionId);
      if (conn != null) {
        for (String thread : List.copyOf(conn.threads())) {
          dropFromThread(connectionId, thread, t);
        }
        connections.remove(connectionId);
      }
    }
  }

  private void dropFromThread(String connectionId, String threadId, Tracker t) {
    Map<String, String> users = usersByConnectionByThread.get(threadId);
    String userId = users == null ? null : users.remove(connectionId);
    if (userId == null) {
      return;
    }
    if (users.isEmpty()) {
      usersByConnectionByThread.remove(threadId);
    }
    Connection conn = connections.get(connectionId);
    if (conn != null) {
      conn.threads().remove(threadId);
    }
    if (!isOnline(threadId, userId)) {
      t.presence.add(threadId);
      clearTyping(threadId, userId, t);
    }
  }

  private void forgetIfIdle(String connectionId) {
    Connection conn = connections.get(connectionId);
    if (conn != null && conn.threads().isEmpty()) {
      connections.remove(connectionId);
      Gateway gw = gateways.get(conn.gatewayId());
      if (gw != null) {
        gw.connections.remove(connectionId);
      }
    }
  }

  private void clearTyping(String threadId, String userId, Tracker t) {
    Map<String, Long> expiries = typingExpiryByThread.get(threadId);
    if (expiries != null && expiries.remove(userId) != null) {
      t.typing.add(threadId);
      if (expiries.isEmpty()) {
        typingExpiryByThread.remove(threadId);
      }
    }
  }

  private boolean isOnline(String threadId, String userId) {
    return usersByConnectionByThread.getOrDefault(threadId, Map.of()).containsValue(userId);
  }

  private Snapshot snapshotNow(String threadId) {
    return new Snapshot(online(threadId), typing(threadId));
  }

  private List<String> online(String threadId) {
    return new ArrayList<>(new TreeSet<>(usersByConnectionByThread.getOrDefault(threadId, Map.of()).values()));
  }

  private List<String> typing(String threadId) {
    return new ArrayList<>(new TreeSet<>(typingExpiryByThread.getOrDefault(threadId, Map.of()).keySet()));
  }

  private final class Tracker {
    final Set<String> presence = new LinkedHashSet<>();
    final Set<String> typing = new LinkedHashSet<>();

    Changes changes() {
      if (presence.isEmpty() && typing.isEmpty()) {
        return Changes.NONE;
      }
      Map<String, List<String>> p = new HashMap<>();
      presence.forEach(thread -> p.put(thread, online(thread)));
      Map<String, List<String>> ty = new HashMap<>();
      typing.forEach(thread -> ty.put(thread, typing(thread)));
      return new Changes(++version, p, ty);
    }
  }
}
