package chat.presence;

import io.vertx.core.Future;

/**
 * Who is online and who is typing, per thread.
 *
 * <p><b>Presence</b> is kept per connection: a connection (one socket of one user, living on one
 * gateway) joins threads; a user is online in a thread while ANY of their connections has joined it.
 * {@link #leave} and {@link #disconnect} remove only that connection. Every entry belongs to the gateway
 * that holds the connection: it lives while that gateway heartbeats, and is removed by {@link #sweep}
 * once the gateway has not heartbeated (or joined) for the presence TTL, or at once by
 * {@link #removeGateway}. A heartbeat refreshes every entry of its gateway in O(1).
 *
 * <p><b>Typing</b> is kept per (thread, user) and expires the typing TTL after the user's last
 * {@link #typingStart}. It is cleared by {@link #typingStop}, by {@link #removeMember}, and when the user
 * is no longer online in the thread after a leave, a disconnect or a gateway's removal.
 *
 * <p><b>Changes.</b> Every mutating operation is atomic and returns the new full lists of exactly the
 * threads whose lists it changed ({@link Changes}); an operation that changes nothing (a repeated join of
 * the same connection, a repeated typing start, a second sweeper finding nothing left to expire) returns
 * empty changes. So when several service instances share one store, each change is reported once, to
 * the caller that made it, and callers publish only what they are given. Each change carries a version,
 * increasing in the order the store applied the changes, so a caller can drop a list older than one it
 * already published.
 *
 * <p>Time comes from the store's clock; {@link #sweep} takes the current time explicitly. User lists are
 * sorted. Failures are {@link chat.shared.ChatException}s ({@code unavailable} when the backing store is
 * unreachable); a failed operation changes nothing.
 */
public interface PresenceStore {

  /** Joins {@code connectionId} (on {@code gatewayId}) to a thread; counts as a heartbeat of that gateway. */
  Future<Joined> join(String threadId, String userId, String connectionId, String gatewayId);

  /** Removes one connection from one thread. Leaving a thread one never joined changes nothing. */
  Future<Changes> leave(String threadId, String userId, String connectionId);

  /** Removes one connection from every thread it joined (the socket closed). */
  Future<Changes> disconnect(String connectionId);

  /**
   * Refreshes every entry of a gateway. Returns whether the store knew the gateway from a previous
   * heartbeat: {@code false} on a gateway's first heartbeat, and whenever its entries may have been lost
   * since (expired, removed, or the store emptied, even if joins arrived since); the gateway should then
   * join all its live connections again (joins are idempotent).
   */
  Future<Boolean> heartbeat(String gatewayId);

  /** Removes every entry of a gateway at once (the cluster reports it gone). */
  Future<Changes> removeGateway(String gatewayId);

  /** Removes all of a user's connections from a thread and their typing there (they left the thread). */
  Future<Changes> removeMember(String threadId, String userId);

  /** Marks the user typing in the thread until the typing TTL from now; a repeat only extends it. */
  Future<Changes> typingStart(String threadId, String userId);

  /** Clears the user's typing in the thread (typing stopped, or the user sent a message there). */
  Future<Changes> typingStop(String threadId, String userId);

  /** Expires typing whose TTL has passed at {@code nowMs} and the entries of gateways silent for the presence TTL. */
  Future<Changes> sweep(long nowMs);

  /** Expires only typing (the cheap, frequent half of {@link #sweep}). */
  Future<Changes> sweepTyping(long nowMs);

  /** The current lists of a thread. */
  Future<Snapshot> snapshot(String threadId);

  /** Whether the backing store answers (readiness). */
  Future<Void> ping();

  Future<Void> close();
}
