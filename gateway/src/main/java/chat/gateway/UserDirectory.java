package chat.gateway;

import chat.shared.protocol.Messaging;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Makes sure a user row exists the first time a valid token is seen ({@code USER_UPSERT}). Seen users
 * are remembered in a bounded set (at most {@value #MAX_REMEMBERED}; beyond that Caffeine's size policy
 * forgets some), so the upsert runs once per user and gateway (again after a failed upsert, or once the
 * user has been forgotten). Concurrent first requests share one upsert. The returned future completes on
 * the caller's context, whichever event loop started the upsert. Safe to share between event loops.
 */
public final class UserDirectory {
  private static final int MAX_REMEMBERED = 50_000;

  private final Vertx vertx;
  private final TimedBus bus;
  private final Cache<String, Future<Void>> seen;

  public UserDirectory(Vertx vertx, TimedBus bus) {
    this(vertx, bus, MAX_REMEMBERED);
  }

  UserDirectory(Vertx vertx, TimedBus bus, int maxRemembered) {
    this.vertx = vertx;
    this.bus = bus;
    // Eviction runs on the caller's thread, not in ForkJoinPool's common pool, so no work leaves the event loop.
    this.seen = Caffeine.newBuilder().maximumSize(maxRemembered).executor(Runnable::run).build();
  }

  /** Completes once the user's row exists; fails (unavailable) when the upsert fails. */
  public Future<Void> ensure(AuthUser user) {
    Future<Void> known = seen.getIfPresent(user.userId());
    if (known == null || known.failed()) {
      Promise<Void> mine = Promise.promise();
      Future<Void> fresh = mine.future();
      known = seen.asMap().compute(user.userId(), (id, earlier) -> earlier == null || earlier.failed() ? fresh : earlier);
      if (known == fresh) {
        // Started outside the map's lock; a throw still fails the remembered future, so a later call retries.
        try {
          upsert(user).onComplete(mine);
        } catch (RuntimeException e) {
          mine.fail(e);
        }
        return fresh;
      }
    }
    if (known.succeeded()) {
      return Future.succeededFuture();
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Void> onCaller = Promise.promise();
    known.onComplete(ar -> caller.runOnContext(v -> onCaller.handle(ar)));
    return onCaller.future();
  }

  /** The users remembered now, after pending evictions (for tests). */
  long remembered() {
    seen.cleanUp();
    return seen.estimatedSize();
  }

  /** Upserts unconditionally (dev login may change the display name). */
  public Future<Void> upsert(AuthUser user) {
    return bus.request(Messaging.USER_UPSERT, new Messaging.UpsertUser(user.userId(), user.name()))
        .mapEmpty();
  }
}
