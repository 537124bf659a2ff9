package chat.presence;

import chat.shared.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PresenceStore} in Redis, shared by every presence-service instance. Each operation is one
 * run of {@code presence.lua} (one round trip), atomic in Redis, so concurrent instances and sweepers
 * never apply or report the same change twice. Keys live under {@code <REDIS_PREFIX>presence:}.
 * Expiry is driven by {@link #sweep} with this process's clock, not by Redis key TTLs.
 */
public final class RedisPresenceStore implements PresenceStore {
  private static final LuaScript SCRIPT = LuaScript.load("/chat/presence/presence.lua");

  private final RedisLink link;
  private final String prefix;
  private final Clock clock;
  private final String presenceTtlMs;
  private final String typingTtlMs;

  public RedisPresenceStore(
      Vertx vertx, String redisUrl, String keyPrefix, Duration presenceTtl, Duration typingTtl, Duration timeout, Clock clock) {
    this.link = new RedisLink(vertx, redisUrl, timeout.toMillis());
    this.prefix = keyPrefix + "presence:";
    this.clock = clock;
    this.presenceTtlMs = Long.toString(presenceTtl.toMillis());
    this.typingTtlMs = Long.toString(typingTtl.toMillis());
  }

  @Override
  public Future<Joined> join(String threadId, String userId, String connectionId, String gatewayId) {
    return run("join", clock.millis(), threadId, userId, connectionId, gatewayId)
        .map(r -> new Joined(snapshot(r.get(3)), changes(r)));
  }

  @Override
  public Future<Changes> leave(String threadId, String userId, String connectionId) {
    return run("leave", clock.millis(), threadId, userId, connectionId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> disconnect(String connectionId) {
    return run("disconnect", clock.millis(), connectionId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Boolean> heartbeat(String gatewayId) {
    return run("heartbeat", clock.millis(), gatewayId).map(r -> r.get(3).toLong() == 1L);
  }

  @Override
  public Future<Changes> removeGateway(String gatewayId) {
    return run("removeGateway", clock.millis(), gatewayId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> removeMember(String threadId, String userId) {
    return run("removeMember", clock.millis(), threadId, userId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> typingStart(String threadId, String userId) {
    return run("typingStart", clock.millis(), threadId, userId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> typingStop(String threadId, String userId) {
    return run("typingStop", clock.millis(), threadId, userId).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> sweep(long nowMs) {
    return run("sweep", nowMs).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Changes> sweepTyping(long nowMs) {
    return run("sweepTyping", nowMs).map(RedisPresenceStore::changes);
  }

  @Override
  public Future<Snapshot> snapshot(String threadId) {
    return run("snapshot", clock.millis(), threadId).map(r -> snapshot(r.get(3)));
  }

  @Override
  public Future<Void> ping() {
    return link.ping();
  }

  /** Whether the last command found Redis unreachable. */
  public boolean isDown() {
    return link.isDown();
  }

  @Override
  public Future<Void> close() {
    return link.close();
  }

  private Future<Response> run(String op, long nowMs, String... args) {
    List<String> argv = new ArrayList<>(5 + args.length);
    argv.add(op);
    argv.add(prefix);
    argv.add(Long.toString(nowMs));
    argv.add(presenceTtlMs);
    argv.add(typingTtlMs);
    argv.addAll(List.of(args));
    return SCRIPT.run(link::send, List.of(), argv).recover(t -> Future.failedFuture(link.toChatException(t)));
  }

  private static Changes changes(Response r) {
    long version = r.get(2).toLong();
    return version == 0 ? Changes.NONE : new Changes(version, lists(r.get(0)), lists(r.get(1)));
  }

  private static Map<String, List<String>> lists(Response pairs) {
    Map<String, List<String>> lists = new HashMap<>();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      lists.put(pairs.get(i).toString(), users(pairs.get(i + 1)));
    }
    return lists;
  }

  private static Snapshot snapshot(Response lists) {
    return new Snapshot(sorted(users(lists.get(0))), sorted(users(lists.get(1))));
  }

  private static List<String> users(Response array) {
    List<String> users = new ArrayList<>(array.size());
    for (Response user : array) {
      users.add(user.toString());
    }
    return users;
  }

  private static List<String> sorted(List<String> users) {
    users.sort(null);
    return users;
  }
}
