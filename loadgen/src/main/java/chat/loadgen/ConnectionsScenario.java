package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Idle connections: opens {@code count} bridge connections (spread over {@code users} users, all members
 * of one thread, each connection registered to {@code chat.thread.<id>}), pinging every {@code ping-ms};
 * reports server heap and RSS per connection (after a forced GC, before and after) and the time from
 * one HTTP send until every connection received it ({@code broadcasts} times).
 *
 * <p>When the open-file limit of this process or of the server ({@code --pid}) is below the requested
 * count, the count is lowered to fit and the result says why ({@code cappedBy}).
 */
public final class ConnectionsScenario implements Scenario {
  private static final String PREFIX = "chat.thread.";

  private final Run run;
  private final int requested;
  private final int users;
  private final int perAddress;
  private final long pingMs;
  private final int connectConcurrency;
  private final int broadcasts;
  private final int broadcastTimeoutSeconds;

  public ConnectionsScenario(Run run, Args args) {
    this.run = run;
    this.requested = Math.max(1, args.integer("count", 50_000));
    this.users = Math.max(1, args.integer("users", 100));
    this.perAddress = Math.max(1, args.integer("per-address", 25_000));
    this.pingMs = args.longValue("ping-ms", 5_000);
    this.connectConcurrency = Math.max(1, args.integer("connect-concurrency", 200));
    this.broadcasts = Math.max(1, args.integer("broadcasts", 3));
    this.broadcastTimeoutSeconds = Math.max(1, args.integer("broadcast-timeout", 30));
  }

  @Override
  public JsonObject run() throws InterruptedException {
    List<String> cappedBy = new ArrayList<>();
    int count = requested;
    long ownLimit = ServerProbe.openFileLimit(0);
    if (ownLimit > 0 && ownLimit - 512 < count) {
      count = (int) Math.max(1, ownLimit - 512);
      cappedBy.add("loadgen RLIMIT_NOFILE " + ownLimit);
    }
    long serverLimit = run.serverPid() > 0 ? ServerProbe.openFileLimit(run.serverPid()) : -1;
    if (serverLimit > 0 && serverLimit - 1024 < count) {
      count = (int) Math.max(1, serverLimit - 1024);
      cappedBy.add("server RLIMIT_NOFILE " + serverLimit);
    }
    int k = count;

    List<String> tokens = run.login("c", users);
    List<String> others = new ArrayList<>();
    for (int u = 1; u < users; u++) {
      others.add(run.userId("c", u));
    }
    String threadId = run.api().createThread(tokens.get(0), "connections", others).await();

    ServerProbe probe = new ServerProbe(run);
    JsonObject before = probe.sample();

    LongAdder errFrames = new LongAdder();
    AtomicLong currentStamp = new AtomicLong(-1);
    LongAdder reached = new LongAdder();
    AtomicLong lastArrival = new AtomicLong();
    BridgeClients clients = new BridgeClients(run.vertx(), run.base(), k, perAddress, pingMs);
    List<BridgeConnection> connections = Collections.synchronizedList(new ArrayList<>());
    LongAdder connectFailures = new LongAdder();
    long connectStart = System.nanoTime();
    Async.forEach(k, connectConcurrency, i -> clients.open(i, tokens.get(i % users), frame -> {
          BridgeFrames.Incoming in = BridgeFrames.read(frame);
          if ("err".equals(in.frameType())) {
            errFrames.increment();
          } else if (in.isMessageNew() && in.stamp() == currentStamp.get()) {
            reached.increment();
            lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
          }
        })
        .compose(c -> c.register(PREFIX + threadId).map(v -> {
          connections.add(c);
          return (Void) null;
        }))
        .recover(e -> {
          connectFailures.increment();
          return Future.succeededFuture();
        })).await();
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    int open = connections.size();
    Thread.sleep(2_000);

    JsonArray broadcastMs = new JsonArray();
    long minReached = Long.MAX_VALUE;
    for (int b = 0; b < broadcasts; b++) {
      reached.reset();
      lastArrival.set(0);
      long sendAt = System.nanoTime();
      currentStamp.set(sendAt);
      run.api().sendAcked(tokens.get(0), threadId, BridgeFrames.stampedBody(sendAt, 32)).await();
      long deadline = sendAt + broadcastTimeoutSeconds * 1_000_000_000L;
      while (reached.sum() < open && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      minReached = Math.min(minReached, reached.sum());
      broadcastMs.add(reached.sum() >= open ? LatencyStats.round3((lastArrival.get() - sendAt) / 1e6) : -1.0);
      Thread.sleep(500);
    }

    JsonObject after = probe.sample();
    long stillOpen = connections.stream().filter(c -> !c.closed()).count();
    Async.forEach(connections.size(), 512, i -> connections.get(i).close().recover(e -> Future.succeededFuture())).await();
    clients.close().await();

    JsonObject result = new JsonObject()
        .put("requested", requested)
        .put("connections", open)
        .put("stillOpenAtEnd", stillOpen)
        .put("connectFailures", connectFailures.sum())
        .put("errorFrames", errFrames.sum())
        .put("sourceAddresses", clients.addresses())
        .put("connectSeconds", LatencyStats.round3(connectSeconds))
        .put("before", before)
        .put("after", after)
        .put("broadcastMs", broadcastMs)
        .put("broadcastReachedMin", minReached);
    if (!cappedBy.isEmpty()) {
      result.put("cappedBy", new JsonArray(cappedBy));
    }
    long heapBefore = before.getLong("heapBytes");
    long heapAfter = after.getLong("heapBytes");
    if (heapBefore >= 0 && heapAfter >= 0 && open > 0) {
      result.put("heapBytesPerConnection", (heapAfter - heapBefore) / open);
    }
    long rssBefore = before.getLong("rssBytes");
    long rssAfter = after.getLong("rssBytes");
    if (rssBefore >= 0 && rssAfter >= 0 && open > 0) {
      result.put("rssBytesPerConnection", (rssAfter - rssBefore) / open);
    }
    return result;
  }
}
