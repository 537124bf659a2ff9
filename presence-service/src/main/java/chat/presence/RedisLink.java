package chat.presence;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis client with the service's failure rules: every command answers within a bounded time;
 * an unreachable or stalled Redis fails the command with {@code unavailable} (never a hang); an outage is
 * logged once at WARN when it starts and once at INFO when Redis answers again. Reconnection is the
 * pool's: no restart is needed when Redis comes back.
 */
final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final Redis redis;
  private final String endpoint;
  private final long timeoutMs;
  private final AtomicBoolean down = new AtomicBoolean(false);

  RedisLink(Vertx vertx, String url, long timeoutMs) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096);
    options.getNetClientOptions().setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE)).setTcpKeepAlive(true);
    this.redis = Redis.createClient(vertx, options);
    this.endpoint = withoutCredentials(url);
    this.timeoutMs = timeoutMs;
  }

  /** Sends one command; a Redis error reply fails with the raw {@link ErrorType} so callers can react to it. */
  Future<Response> send(Request request) {
    return redis.send(request)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .andThen(ar -> {
          if (ar.succeeded() || ar.cause() instanceof ErrorType) {
            reachable();
          } else {
            unreachable(ar.cause());
          }
        });
  }

  Future<Void> ping() {
    return send(Request.cmd(Command.PING)).<Void>mapEmpty().recover(t -> Future.failedFuture(toChatException(t)));
  }

  boolean isDown() {
    return down.get();
  }

  Future<Void> close() {
    return redis.close();
  }

  /** Maps a failed command: error replies are internal faults (or unavailable while Redis loads); all else is unavailable. */
  ChatException toChatException(Throwable t) {
    if (t instanceof ChatException ce) {
      return ce;
    }
    // internal class: vertx-redis-client fails a Redis error reply with it and has no public type for one
    if (t instanceof ErrorType err) {
      if (err.is("LOADING") || err.is("BUSY") || err.is("MASTERDOWN") || err.is("READONLY") || err.is("TRYAGAIN")) {
        return new ChatException(ErrorCode.UNAVAILABLE, "Presence store is not ready: " + err.getMessage());
      }
      LOG.error("Redis at {} refused a presence command: {}", endpoint, err.getMessage());
      return new ChatException(ErrorCode.INTERNAL, null);
    }
    return new ChatException(ErrorCode.UNAVAILABLE, "Presence store (Redis) is unavailable");
  }

  private void reachable() {
    if (down.compareAndSet(true, false)) {
      LOG.info("Redis at {} is reachable again: presence and typing have recovered", endpoint);
    }
  }

  private void unreachable(Throwable cause) {
    if (down.compareAndSet(false, true)) {
      LOG.warn("Redis at {} is unreachable ({}): presence and typing requests fail with 'unavailable' until it is back",
          endpoint, cause.toString());
    }
  }

  private static String withoutCredentials(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    } catch (RuntimeException e) {
      return "(configured REDIS_URL)";
    }
  }
}
