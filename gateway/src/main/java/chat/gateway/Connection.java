package chat.gateway;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One live bridge connection: its authenticated user, a per-socket {@code connectionId} (stamped on
 * every inbound frame and used for presence), the remote IP, the addresses it has registered (or is
 * registering), and the threads it has been verified a member of. Only threads in that set are
 * delivered to it; a member removal takes the thread out of the set at once.
 */
public final class Connection {
  private final String connectionId;
  private final AuthUser user;
  private final String ip;
  private final Set<String> memberThreads = ConcurrentHashMap.newKeySet();
  private final Set<String> addresses = ConcurrentHashMap.newKeySet();
  private final Set<String> joinedThreads = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> typingForwardedAt = new ConcurrentHashMap<>();

  public Connection(String connectionId, AuthUser user, String ip) {
    this.connectionId = connectionId;
    this.user = user;
    this.ip = ip;
  }

  public String connectionId() { return connectionId; }

  public AuthUser user() { return user; }

  public String userId() { return user.userId(); }

  public String ip() { return ip; }

  public boolean isMemberOf(String threadId) { return memberThreads.contains(threadId); }

  public void verifiedMember(String threadId) { memberThreads.add(threadId); }

  /** The connection joined the thread's presence (re-announced if presence lost its entries). */
  public void joined(String threadId) { joinedThreads.add(threadId); }

  public void left(String threadId) { joinedThreads.remove(threadId); }

  public Set<String> joinedThreads() { return Set.copyOf(joinedThreads); }

  public void revoke(String threadId) {
    memberThreads.remove(threadId);
    joinedThreads.remove(threadId);
    typingForwardedAt.remove(threadId);
  }

  /** Reserves a registration slot for an address; false if already registered or over {@code max}. */
  public boolean reserve(String address, int max) {
    if (addresses.size() >= max) {
      return false;
    }
    return addresses.add(address);
  }

  public void release(String address) { addresses.remove(address); }

  /** Whether the address is registered (or being registered) by this connection. */
  public boolean holds(String address) { return addresses.contains(address); }

  /** The addresses registered (or being registered), as a copy. */
  public Set<String> addresses() { return Set.copyOf(addresses); }

  /**
   * Whether a typing start for the thread should reach the presence store now: at most one per
   * {@code intervalMs} per thread; the others are answered without touching the store.
   */
  public boolean shouldForwardTyping(String threadId, long nowMs, long intervalMs) {
    Long last = typingForwardedAt.get(threadId);
    if (last != null && nowMs - last < intervalMs) {
      return false;
    }
    typingForwardedAt.put(threadId, nowMs);
    return true;
  }

  public void typingStopped(String threadId) { typingForwardedAt.remove(threadId); }
}
