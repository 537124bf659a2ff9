package chat.gateway;

import chat.shared.protocol.Messaging;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes sure a user row exists the first time a valid token is seen ({@code USER_UPSERT}). Recently
 * seen users are remembered in a bounded set, so the upsert runs once per user and gateway (again
 * after a failed upsert, or once the user has been forgotten). Concurrent first requests share one
 * upsert. The returned future completes on the caller's context, whichever event loop started the
 * upsert.
 */
public final class UserDirectory {
  private static final int MAX_REMEMBERED = 50_000;

  private final Vertx vertx;
  private final TimedBus bus;
  private final Map<String, Future<Void>> seen = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<Void>> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  public UserDirectory(Vertx vertx, TimedBus bus) {
    this.vertx = vertx;
    this.bus = bus;
  }

  /** Completes once the user's row exists; fails (unavailable) when the upsert fails. */
  public Future<Void> ensure(AuthUser user) {
    Future<Void> known;
    synchronized (seen) {
      known = seen.get(user.userId());
      if (known == null || known.failed()) {
        Future<Void> upsert = upsert(user);
        seen.put(user.userId(), upsert);
        return upsert;
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

  /** Upserts unconditionally (dev login may change the display name). */
  public Future<Void> upsert(AuthUser user) {
    return bus.request(Messaging.USER_UPSERT, new Messaging.UpsertUser(user.userId(), user.name()))
        .mapEmpty();
  }
}
