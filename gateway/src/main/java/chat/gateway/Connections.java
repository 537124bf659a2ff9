package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.runtime.ChatMetrics;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live bridge connections of this gateway, by connection id and by user, with the per-user and
 * per-IP connection limits (counted per gateway). Exposes {@code chat_bridge_connections}.
 */
public final class Connections {
  private final RateLimits limits;
  private final Map<String, Connection> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Integer> perIp = new ConcurrentHashMap<>();
  /** Users just closed for flooding: refused new connections for a flood window, so reconnecting buys nothing. */
  private final Cache<String, Boolean> benched = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofMillis(RateLimits.FLOOD_WINDOW_MS)).executor(Runnable::run).build();
  private final Gauge gauge;

  public Connections(RateLimits limits) {
    this.limits = limits;
    this.gauge = Gauge.builder("chat_bridge_connections", byId, Map::size)
        .description("Live event-bus bridge connections on this gateway")
        .register(ChatMetrics.registry());
  }

  /** A socket of the user was closed for flooding (limits on). */
  public void bench(String userId) {
    if (limits.enabled()) {
      benched.put(userId, Boolean.TRUE);
    }
  }

  /** Whether the user is refused new connections for flooding. */
  public boolean benched(String userId) {
    return benched.getIfPresent(userId) != null;
  }

  /**
   * Pre-handler of the bridge's HTTP requests (after authentication): a benched user is refused (429) at
   * the upgrade, so reconnecting costs a flooder one refused request, never a socket that reads frames.
   */
  public void admit(RoutingContext rc) {
    if (benched(AuthUser.of(rc).userId())) {
      rc.fail(new ChatException(ErrorCode.RATE_LIMITED, "Closed for flooding; try again later"));
      return;
    }
    rc.next();
  }

  /** Opens a connection, or returns null when the user is benched or the user or IP is at its limit. */
  public synchronized Connection open(AuthUser user, String ip) {
    if (benched(user.userId())) {
      return null;
    }
    Set<Connection> mine = byUser.getOrDefault(user.userId(), Set.of());
    if (limits.enabled()
        && (mine.size() >= limits.connectionsPerUser() || perIp.getOrDefault(ip, 0) >= limits.connectionsPerIp())) {
      return null;
    }
    Connection connection = new Connection(UUID.randomUUID().toString(), user, ip);
    byId.put(connection.connectionId(), connection);
    byUser.computeIfAbsent(user.userId(), k -> ConcurrentHashMap.newKeySet()).add(connection);
    perIp.merge(ip, 1, Integer::sum);
    return connection;
  }

  /** Forgets the connection; false if it was already closed. */
  public synchronized boolean close(Connection connection) {
    if (byId.remove(connection.connectionId()) == null) {
      return false;
    }
    Set<Connection> mine = byUser.get(connection.userId());
    if (mine != null) {
      mine.remove(connection);
      if (mine.isEmpty()) {
        byUser.remove(connection.userId());
      }
    }
    perIp.computeIfPresent(connection.ip(), (k, n) -> n <= 1 ? null : n - 1);
    return true;
  }

  public Collection<Connection> ofUser(String userId) {
    Set<Connection> mine = byUser.get(userId);
    return mine == null ? List.of() : List.copyOf(mine);
  }

  /** The user is no longer a member of the thread: none of their connections receives it from now on. */
  public void revoke(String userId, String threadId) {
    for (Connection c : ofUser(userId)) {
      c.revoke(threadId);
    }
  }

  public Collection<Connection> all() {
    return List.copyOf(byId.values());
  }

  public int size() {
    return byId.size();
  }

  /** Removes the gauge (the registry is per JVM, gateways may be redeployed). */
  public void close() {
    ChatMetrics.registry().remove(gauge);
  }
}
