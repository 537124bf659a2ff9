package chat.gateway;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The authorisation state of one live bridge connection: its authenticated user, a per-socket
 * {@code connectionId} (stamped on every inbound frame and used for presence), the remote IP, the
 * addresses it has registered (or is registering), and the threads it has been verified a member of.
 * Only threads in that set are delivered to it; a member removal takes the thread out of the set at
 * once. The socket itself, its pings and its writes are the {@link BridgeTransport}'s (the transport
 * state), which says why the two are separate.
 *
 * <p>Thread-safe (its methods are called from the socket's event loop, the bus consumers and the
 * heartbeat). The sets are made on first use: most connections are idle and hold one or two addresses,
 * and a gateway holds tens of thousands of them.
 */
public final class Connection {
  private final String connectionId;
  private final AuthUser user;
  private final String ip;
  private Set<String> memberThreads;
  private Set<String> addresses;
  private Set<String> joinedThreads;
  private Map<String, Long> typingForwardedAt;
  private volatile Runnable closer = () -> {};
  private Map<String, Long> registerTickets;
  private long lastTicket;

  public Connection(String connectionId, AuthUser user, String ip) {
    this.connectionId = connectionId;
    this.user = user;
    this.ip = ip;
  }

  public String connectionId() { return connectionId; }

  public AuthUser user() { return user; }

  public String userId() { return user.userId(); }

  public String ip() { return ip; }

  /** How to close this connection's socket (set by the bridge once the socket is open). */
  void onClose(Runnable closer) {
    this.closer = closer;
  }

  /** Closes the socket (its user must not receive anything more on it); safe from any thread. */
  public void close() {
    closer.run();
  }

  public synchronized boolean isMemberOf(String threadId) {
    return memberThreads != null && memberThreads.contains(threadId);
  }

  public synchronized void verifiedMember(String threadId) {
    if (memberThreads == null) {
      memberThreads = new HashSet<>(4);
    }
    memberThreads.add(threadId);
  }

  /** The connection joined the thread's presence (re-announced if presence lost its entries). */
  public synchronized void joined(String threadId) {
    if (joinedThreads == null) {
      joinedThreads = new HashSet<>(4);
    }
    joinedThreads.add(threadId);
  }

  public synchronized void left(String threadId) {
    if (joinedThreads != null) {
      joinedThreads.remove(threadId);
    }
  }

  public synchronized Set<String> joinedThreads() {
    return joinedThreads == null ? Set.of() : Set.copyOf(joinedThreads);
  }

  public synchronized void revoke(String threadId) {
    if (memberThreads != null) {
      memberThreads.remove(threadId);
    }
    left(threadId);
    typingStopped(threadId);
  }

  /** Reserves a registration slot for an address; false if already registered or over {@code max}. */
  public synchronized boolean reserve(String address, int max) {
    if (addresses == null) {
      addresses = new HashSet<>(4);
    }
    if (addresses.size() >= max) {
      return false;
    }
    return addresses.add(address);
  }

  public synchronized void release(String address) {
    if (addresses != null) {
      addresses.remove(address);
    }
    if (registerTickets != null) {
      registerTickets.remove(address);
    }
  }

  /**
   * A new register or unregister of the address: only the latest one's outcome may change the
   * registration (an answer that arrives after a later request is stale).
   */
  public synchronized long nextTicket(String address) {
    if (registerTickets == null) {
      registerTickets = new HashMap<>(4);
    }
    registerTickets.put(address, ++lastTicket);
    return lastTicket;
  }

  public synchronized boolean isLatest(String address, long ticket) {
    return registerTickets != null && Long.valueOf(ticket).equals(registerTickets.get(address));
  }

  /** Whether the address is registered (or being registered) by this connection. */
  public synchronized boolean holds(String address) {
    return addresses != null && addresses.contains(address);
  }

  /** The addresses registered (or being registered), as a copy. */
  public synchronized Set<String> addresses() {
    return addresses == null ? Set.of() : Set.copyOf(addresses);
  }

  /**
   * Whether a typing start for the thread should reach the presence store now: at most one per
   * {@code intervalMs} per thread; the others are answered without touching the store.
   */
  public synchronized boolean shouldForwardTyping(String threadId, long nowMs, long intervalMs) {
    if (typingForwardedAt == null) {
      typingForwardedAt = new HashMap<>(4);
    }
    Long last = typingForwardedAt.get(threadId);
    if (last != null && nowMs - last < intervalMs) {
      return false;
    }
    typingForwardedAt.put(threadId, nowMs);
    return true;
  }

  public synchronized void typingStopped(String threadId) {
    if (typingForwardedAt != null) {
      typingForwardedAt.remove(threadId);
    }
  }
}
