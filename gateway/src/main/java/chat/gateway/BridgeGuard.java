package chat.gateway;

import chat.shared.bus.Addresses;
import chat.shared.protocol.Presence;
import chat.shared.runtime.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's rules for a socket whose user was verified before the bridge (see
 * {@link AuthHandler#accessTokenParam}):
 * <ul>
 *   <li>A socket opens only with a user and within the per-user and per-IP connection limits.
 *   <li>It may register {@code chat.user.<id>} only for its own user, {@code chat.thread.<id>} only after
 *       messaging confirms membership, at most {@code registrationsPerSocket} addresses, nothing else.
 *   <li>It may send only to the six inbound addresses, answered by this gateway for the authenticated
 *       user (any {@code userId} in the body is replaced); it may publish to none.
 *   <li>When it closes, presence is told the connection is gone.
 * </ul>
 */
public final class BridgeGuard {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);
  static final Pattern THREAD_ADDRESS = Pattern.compile(
      "chat\\.thread\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Set<String> INBOUND = Set.of(
      Addresses.CLIENT_THREAD_JOIN, Addresses.CLIENT_THREAD_LEAVE,
      Addresses.CLIENT_TYPING_START, Addresses.CLIENT_TYPING_STOP,
      Addresses.CLIENT_MESSAGE_SEND, Addresses.CLIENT_THREAD_READ);

  private final Vertx vertx;
  private final TimedBus bus;
  private final Connections connections;
  private final RateLimits limits;
  private final SessionOwnership sessions;
  private final Revocations revocations;

  BridgeGuard(Vertx vertx, TimedBus bus, Connections connections, RateLimits limits, SessionOwnership sessions,
      Revocations revocations) {
    this.revocations = revocations;
    this.vertx = vertx;
    this.bus = bus;
    this.connections = connections;
    this.limits = limits;
    this.sessions = sessions;
  }

  /** The connection of a new socket, or null when it has no user or its user or IP is at the limit. */
  Connection opened(SockJSSocket socket) {
    AuthUser user = AuthUser.orNull(socket.routingContext());
    if (user == null) {
      return null;
    }
    String ip = ClientIp.of(socket.routingContext());
    Connection connection = connections.open(user, ip);
    if (connection == null) {
      if (!connections.benched(user.userId())) { // a benched flooder's retries are not logged one by one
        LOG.info("Bridge connection refused: connection limit reached for {} or {}", user.userId(), ip);
      }
      return null;
    }
    sessions.opened(socket.routingContext().normalizedPath(), user.userId());
    return connection;
  }

  /** The connection was closed for flooding: its user gets no new connection for a flood window. */
  void flooded(Connection connection) {
    connections.bench(connection.userId());
  }

  void closed(SockJSSocket socket, Connection connection) {
    if (!connections.close(connection)) {
      return;
    }
    sessions.closed(socket.routingContext().normalizedPath());
    bus.request(Presence.DISCONNECT,
            new Presence.Disconnect(connection.userId(), connection.connectionId(), ClusterNode.nodeId(vertx)))
        .onFailure(t -> LOG.warn("Presence disconnect failed: {}", t.getMessage()));
  }

  /** What became of a register: {@code stale} ones were overtaken by a later register or unregister. */
  enum Registered { ADDED, REFUSED, STALE, STALE_REFUSED }

  /**
   * Whether the connection may register the address: {@code ADDED} once its slot is reserved (and, for
   * a thread, membership confirmed); {@code REFUSED}, with nothing reserved, otherwise. An address already
   * held is checked again (after a removal and a re-add, registering works again); only the latest
   * register or unregister of an address changes it, so a late answer never undoes a newer one.
   */
  Future<Registered> register(Connection connection, String address) {
    if (address.startsWith(Addresses.USER_PREFIX)) {
      boolean own = address.equals(Addresses.user(connection.userId()));
      return Future.succeededFuture(own && connection.reserve(address, maxRegistrations()) ? Registered.ADDED : Registered.STALE_REFUSED);
    }
    if (!THREAD_ADDRESS.matcher(address).matches()
        || (!connection.holds(address) && !connection.reserve(address, maxRegistrations()))) {
      return Future.succeededFuture(Registered.STALE_REFUSED);
    }
    String threadId = Deliveries.threadOf(address);
    long ticket = connection.nextTicket(address);
    return revocations.check(connection, threadId)
        .map(v -> connection.isLatest(address, ticket) ? Registered.ADDED : Registered.STALE)
        .otherwise(t -> {
          if (!connection.isLatest(address, ticket)) {
            return Registered.STALE_REFUSED;
          }
          connection.release(address);
          return Registered.REFUSED;
        });
  }

  void unregister(Connection connection, String address) {
    connection.release(address);
  }

  Revocations revocations() {
    return revocations;
  }

  /** The most replies one socket may await at once (beyond them a request is refused). */
  int maxPendingReplies() {
    return limits.enabled() ? RateLimits.PENDING_REPLIES_PER_SOCKET : RateLimits.MAX_BRIDGE_HANDLERS;
  }

  private int maxRegistrations() {
    return limits.enabled() ? limits.registrationsPerSocket() : RateLimits.MAX_BRIDGE_HANDLERS;
  }

  static boolean maySend(String address) {
    return INBOUND.contains(address);
  }
}
