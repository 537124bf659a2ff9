package chat.scale;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * One simulated gateway verticle instance: the registration pattern of the gateway's {@code Deliveries}
 * without sockets. Each address its sockets use has one bus consumer on this instance's event loop,
 * counted by the sockets using it; the first socket registers it, the last one out unregisters it.
 * Every event received is timed against the publisher's clock (one machine, one monotonic clock).
 */
final class SimGateway extends VerticleBase {
  /** Sockets handled per event-loop turn, so received events are not starved during a storm. */
  private static final int CHUNK = 100;

  /** The one address every instance of every node consumes in the broadcast model. */
  static final String FANOUT = "chat.scale.fanout";

  private final NodeStats stats;
  private final boolean broadcast;
  private final Map<String, Route> routes = new HashMap<>();

  /**
   * {@code broadcast}: the node-level model measured beside today's. One consumer per instance on
   * {@link #FANOUT}; a socket's addresses are entries in this instance's map only, and an event names its
   * address in the body, so registering touches nothing shared.
   */
  SimGateway(NodeStats stats, boolean broadcast) {
    this.stats = stats;
    this.broadcast = broadcast;
  }

  @Override
  public Future<?> start() {
    if (!broadcast) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>consumer(FANOUT, msg -> {
      JsonObject body = msg.body();
      if (routes.containsKey(body.getString("address"))) {
        stats.delivered(System.nanoTime() - body.getLong("ts"));
      }
    }).completion();
  }

  Context ctx() {
    return context;
  }

  /**
   * Registers the addresses of every socket in {@code [from, to)} that {@code mine} selects; completes when
   * the cluster has every new registration, with the number of bus registrations made.
   */
  Future<Integer> register(int home, int from, int to, int threads, IntPredicate mine) {
    return run(from, to, mine, (socket, done) -> {
      for (String address : SimAddresses.ofSocket(home, socket, threads)) {
        add(address, done);
      }
    });
  }

  /** Unregisters those sockets' addresses; completes when the cluster has forgotten the last ones. */
  Future<Integer> unregister(int home, int from, int to, int threads, IntPredicate mine) {
    return run(from, to, mine, (socket, done) -> {
      for (String address : SimAddresses.ofSocket(home, socket, threads)) {
        remove(address, done);
      }
    });
  }

  /** Registers hot thread addresses (one socket each on this instance). */
  Future<Integer> registerHot(int count) {
    return run(0, count, i -> true, (i, done) -> add(SimAddresses.hot(i), done));
  }

  int registrations() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> p.complete(routes.size()));
    return p.future().await();
  }

  private interface SocketOp {
    void apply(int socket, Tracker done);
  }

  private Future<Integer> run(int from, int to, IntPredicate mine, SocketOp op) {
    Tracker tracker = new Tracker();
    context.runOnContext(v -> step(from, to, mine, op, tracker));
    return tracker.promise.future();
  }

  private void step(int next, int to, IntPredicate mine, SocketOp op, Tracker tracker) {
    int end = Math.min(to, next + CHUNK);
    for (int s = next; s < end; s++) {
      if (mine.test(s)) {
        op.apply(s, tracker);
      }
    }
    if (end < to) {
      context.runOnContext(v -> step(end, to, mine, op, tracker));
    } else {
      tracker.issued();
    }
  }

  private void add(String address, Tracker tracker) {
    Route route = routes.get(address);
    if (route != null) {
      route.refs++;
      return;
    }
    long t0 = System.nanoTime();
    if (broadcast) {
      routes.put(address, new Route(null));
      stats.registered(System.nanoTime() - t0, true);
      tracker.started();
      tracker.finished();
      return;
    }
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, msg -> {
      if (msg.body() instanceof JsonObject body) {
        stats.delivered(System.nanoTime() - body.getLong("ts"));
      }
    });
    routes.put(address, new Route(consumer));
    tracker.started();
    consumer.completion().onComplete(ar -> {
      stats.registered(System.nanoTime() - t0, ar.succeeded());
      tracker.finished();
    });
  }

  private void remove(String address, Tracker tracker) {
    Route route = routes.get(address);
    if (route == null || --route.refs > 0) {
      return;
    }
    routes.remove(address);
    long t0 = System.nanoTime();
    tracker.started();
    if (broadcast) {
      stats.unregistered(System.nanoTime() - t0, true);
      tracker.finished();
      return;
    }
    route.consumer.unregister().onComplete(ar -> {
      stats.unregistered(System.nanoTime() - t0, ar.succeeded());
      tracker.finished();
    });
  }

  /** The bus operations one command started, and the promise completed when all of them are done. */
  private static final class Tracker {
    final Promise<Integer> promise = Promise.promise();
    final AtomicInteger pending = new AtomicInteger(1);
    final AtomicInteger count = new AtomicInteger();

    void started() {
      pending.incrementAndGet();
      count.incrementAndGet();
    }

    void finished() {
      if (pending.decrementAndGet() == 0) {
        promise.complete(count.get());
      }
    }

    void issued() {
      finished();
    }
  }

  private static final class Route {
    final MessageConsumer<Object> consumer;
    int refs = 1;

    Route(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
    }
  }
}
