package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Bus;
import chat.shared.protocol.Gateway;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Ok;
import chat.shared.runtime.ClusterNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Member removals as this gateway saw them, so that a removal is exact whatever is in flight:
 * <ul>
 *   <li>Each removal gets a number from one counter. A membership check remembers the counter when it
 *       starts ({@link #check}); if the user was removed from the thread after that, its yes is stale
 *       (answered before the removal committed) and counts as a no.
 *   <li>A removal stays remembered for {@link #REMEMBER} (longer than any send statement and bus
 *       request can take), and meanwhile a {@code message:new} of that thread on the user's own address
 *       is not delivered: a send that committed just after the removal may still name them as a member.
 *       A later successful check, or {@code thread:added} on their address, forgets it.
 *   <li>The revocation endpoint ({@link Gateway#revoke}) applies a removal to every connection of the
 *       user at once and confirms; handled after the remover's deadline, it closes the user's sockets
 *       instead, since events may have reached them in between.
 * </ul>
 * Thread-safe.
 */
final class Revocations {
  static final Duration REMEMBER = Duration.ofSeconds(60);
  /** Every gateway deployed in one Vert.x node (tests run several) shares the node's one endpoint. */
  private static final Map<Vertx, Set<Revocations>> LOCAL = new ConcurrentHashMap<>();
  private static final Map<Vertx, MessageConsumer<Object>> ENDPOINTS = new ConcurrentHashMap<>();

  private final AtomicLong counter = new AtomicLong();
  private final Cache<String, Long> removed = Caffeine.newBuilder()
      .maximumSize(100_000).expireAfterWrite(REMEMBER).executor(Runnable::run).build();
  private final Connections connections;
  private final TimedBus bus;

  Revocations(Connections connections, TimedBus bus) {
    this.connections = connections;
    this.bus = bus;
  }

  /** Serves this node's revocation endpoint for this gateway too (until {@link #stop}). */
  Future<Void> start(Vertx vertx) {
    synchronized (LOCAL) {
      LOCAL.computeIfAbsent(vertx, v -> ConcurrentHashMap.newKeySet()).add(this);
      if (ENDPOINTS.containsKey(vertx)) {
        return Future.succeededFuture();
      }
      MessageConsumer<Object> consumer = Bus.serve(vertx, Gateway.revoke(ClusterNode.nodeId(vertx)), r -> {
        LOCAL.getOrDefault(vertx, Set.of()).forEach(g -> g.revoke(r));
        return Future.succeededFuture(Ok.OK);
      });
      ENDPOINTS.put(vertx, consumer);
      return consumer.completion();
    }
  }

  Future<Void> stop(Vertx vertx) {
    synchronized (LOCAL) {
      Set<Revocations> mine = LOCAL.get(vertx);
      if (mine != null) {
        mine.remove(this);
        if (!mine.isEmpty()) {
          return Future.succeededFuture();
        }
        LOCAL.remove(vertx);
      }
      MessageConsumer<Object> consumer = ENDPOINTS.remove(vertx);
      return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }
  }

  /** Applies a removal from the endpoint. */
  void revoke(Gateway.Revoke r) {
    removed(r.userId(), r.threadId());
    if (System.currentTimeMillis() > r.deadlineMs()) {
      connections.ofUser(r.userId()).forEach(Connection::close);
    }
  }

  void removed(String userId, String threadId) {
    // Under the lock a check's verdict and its effect are one step (see check).
    synchronized (this) {
      removed.put(key(userId, threadId), counter.incrementAndGet());
      connections.revoke(userId, threadId);
    }
  }

  /**
   * Whether the connection's user is a member of the thread, asked of messaging now: fails
   * {@code not_member} also when a removal reached this gateway while the question was on its way.
   * On success the connection receives the thread's events.
   */
  Future<Void> check(Connection c, String threadId) {
    long mark = counter.get();
    return bus.request(Messaging.MEMBER_CHECK, new Messaging.CheckMember(c.userId(), threadId)).compose(role -> {
      String key = key(c.userId(), threadId);
      synchronized (this) {
        Long at = removed.getIfPresent(key);
        if (at != null && at > mark) {
          return Future.failedFuture(new ChatException(ErrorCode.NOT_MEMBER));
        }
        if (at != null) {
          removed.asMap().remove(key, at);
        }
        c.verifiedMember(threadId);
      }
      return Future.succeededFuture();
    });
  }

  /** The user was added to the thread again: their own address carries its messages again. */
  void readded(String userId, String threadId) {
    removed.invalidate(key(userId, threadId));
  }

  /** Whether a message event of the thread on the user's own address is held back (a recent removal). */
  boolean holdsBack(String userId, String threadId) {
    return removed.getIfPresent(key(userId, threadId)) != null;
  }

  private static String key(String userId, String threadId) {
    return userId + '\n' + threadId;
  }
}
