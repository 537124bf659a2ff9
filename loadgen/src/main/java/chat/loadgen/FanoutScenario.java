package chat.loadgen;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fan-out: {@code threads} threads x {@code members} members, each member one bridge connection
 * registered to {@code chat.thread.<id>}; an open-loop schedule sends {@code rate} messages/s over HTTP
 * (by thread members, round robin) for {@code duration} seconds; each body carries its scheduled send
 * time, so end-to-end latency includes any queueing behind a slow server (no coordinated omission).
 *
 * <p>Before the schedule, one probe message per thread must reach every member's connection (this
 * proves the registrations). After it, deliveries are awaited up to {@code drain} seconds; then every
 * acknowledged message not received by every connection of its thread is LOST. With several gateways,
 * user {@code i} connects and sends through gateway {@code i mod gateways}, so each thread's members and
 * senders are spread over all of them. With {@code warmup}
 * seconds, the same traffic first runs at {@code warmup-rate} (default min(rate, 500)) so the server's and
 * this process's JIT have compiled the path; only the measured window counts for rate and latency.
 */
public final class FanoutScenario implements Scenario {
  private final Run run;
  private final int threads;
  private final int members;
  private final int rate;
  private final int durationSeconds;
  private final int warmupSeconds;
  private final int warmupRate;
  private final int drainSeconds;
  private final int bodySize;
  private final int maxInFlight;
  private final long pingMs;
  private final long timeoutMs;

  public FanoutScenario(Run run, Args args) {
    this.run = run;
    this.threads = Math.max(1, args.integer("threads", 100));
    this.members = Math.max(1, args.integer("members", 10));
    this.rate = Math.max(1, args.integer("rate", 1000));
    this.durationSeconds = Math.max(1, args.integer("duration", 10));
    this.warmupSeconds = Math.max(0, args.integer("warmup", 0));
    this.warmupRate = Math.max(1, args.integer("warmup-rate", Math.min(rate, 500)));
    this.drainSeconds = args.integer("drain", 10);
    this.bodySize = args.integer("body-size", 64);
    this.maxInFlight = Math.max(1, args.integer("max-in-flight", 2000));
    this.pingMs = args.longValue("ping-ms", 5_000);
    this.timeoutMs = args.longValue("timeout-ms", 10_000);
  }

  @Override
  public JsonObject run() throws InterruptedException {
    int users = threads * members;
    List<String> tokens = run.login("f", users);
    List<String> threadIds = Async.map(threads, run.setupConcurrency(), t -> {
      List<String> others = new ArrayList<>();
      for (int m = 1; m < members; m++) {
        others.add(run.userId("f", t * members + m));
      }
      return run.api().createThread(tokens.get(t * members), "fanout " + t, others);
    }).await();

    DeliveryLedger ledger = new DeliveryLedger();
    LatencyStats e2e = new LatencyStats();
    LongAdder measuredDeliveries = new LongAdder();
    LongAdder errFrames = new LongAdder();
    AtomicLong lastDelivery = new AtomicLong();
    long[] window = {Long.MAX_VALUE};
    List<BridgeClients> clients = new ArrayList<>();
    for (int g = 0; g < run.targets(); g++) {
      clients.add(new BridgeClients(run.vertx(), run.bases().get(g), (users + run.targets() - 1) / run.targets(), 25_000, pingMs));
    }
    List<DeliveryLedger.Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      receivers.add(ledger.receiver(threadIds.get(i / members)));
    }
    long connectStart = System.nanoTime();
    List<BridgeConnection> connections = Async.map(users, 64, i -> {
      DeliveryLedger.Receiver receiver = receivers.get(i);
      String prefix = "chat.thread.";
      return clients.get(i % run.targets()).open(i / run.targets(), tokens.get(i), frame -> {
        BridgeFrames.Incoming in = BridgeFrames.read(frame);
        if ("err".equals(in.frameType())) {
          errFrames.increment();
        }
        if (!in.isMessageNew() || in.address() == null || !in.address().startsWith(prefix)) {
          return;
        }
        boolean first = receiver.received(in.address().substring(prefix.length()), in.seq());
        if (first && in.stamp() >= window[0]) {
          long now = System.nanoTime();
          e2e.recordNanos(now - in.stamp());
          measuredDeliveries.increment();
          lastDelivery.accumulateAndGet(now, Math::max);
        }
      }).compose(c -> c.register("chat.thread." + receiver.threadId()).map(v -> c));
    }).await();
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;

    List<Long> probes = Async.map(threads, run.setupConcurrency(), t ->
        run.api().sendAcked(tokens.get(t * members), threadIds.get(t), "probe")).await();
    for (int t = 0; t < threads; t++) {
      ledger.acked(threadIds.get(t), probes.get(t));
    }
    long probeDeadline = System.nanoTime() + 15_000_000_000L;
    int unprobed = unprobed(receivers, threadIds, probes);
    while (unprobed > 0 && System.nanoTime() < probeDeadline) {
      Thread.sleep(50);
      unprobed = unprobed(receivers, threadIds, probes);
    }

    if (warmupSeconds > 0) {
      // The same traffic at a rate the machine sustains, so both JITs have compiled the path before the
      // measured window; its deliveries count for loss but not for latency.
      schedule(warmupRate, warmupSeconds, tokens, threadIds, ledger);
      drain(ledger);
    }

    window[0] = System.nanoTime();
    ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(run.processes());
    Schedule measured = schedule(rate, durationSeconds, tokens, threadIds, ledger);
    long start = measured.start();
    double sendSeconds = measured.seconds();
    LatencyStats sendLatency = measured.sendLatency();
    LongAdder acked = measured.acked();
    LongAdder skipped = measured.skipped();
    TreeMap<String, LongAdder> errors = new TreeMap<>(measured.errors());
    long total = (long) rate * durationSeconds;

    DeliveryLedger.Tally tally = drain(ledger);
    JsonObject cpuJson = cpu.toJson();
    long closed = connections.stream().filter(BridgeConnection::closed).count();
    Async.forEach(connections.size(), 256, i -> connections.get(i).close().recover(e -> io.vertx.core.Future.succeededFuture())).await();
    io.vertx.core.Future.all(clients.stream().map(BridgeClients::close).toList()).await();

    JsonObject errorJson = new JsonObject();
    errors.forEach((k, v) -> errorJson.put(k, v.sum()));
    double deliverySeconds = Math.max(durationSeconds, (lastDelivery.get() - start) / 1e9);
    return new JsonObject()
        .put("gateways", run.targets())
        .put("connections", users)
        .put("connectSeconds", LatencyStats.round3(connectSeconds))
        .put("unprobedConnections", unprobed)
        .put("scheduled", total)
        .put("skipped", skipped.sum())
        .put("acked", acked.sum())
        .put("messagesPerSec", LatencyStats.round3(acked.sum() / sendSeconds))
        .put("deliveriesPerSec", LatencyStats.round3(measuredDeliveries.sum() / deliverySeconds))
        .put("e2eLatencyMs", e2e.toJson())
        .put("sendLatencyMs", sendLatency.toJson())
        .put("lost", tally.lost())
        .put("duplicates", tally.duplicates())
        .put("deliveries", tally.toJson())
        .put("errors", errorJson)
        .put("errorFrames", errFrames.sum())
        .put("closedConnections", closed)
        .put("cpu", cpuJson);
  }

  /** Waits up to {@code drain} seconds for every acknowledged message to reach all its receivers. */
  private DeliveryLedger.Tally drain(DeliveryLedger ledger) throws InterruptedException {
    long deadline = System.nanoTime() + drainSeconds * 1_000_000_000L;
    DeliveryLedger.Tally tally = ledger.tally();
    while (tally.lost() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      tally = ledger.tally();
    }
    return tally;
  }

  /** What one open-loop schedule did. */
  private record Schedule(long start, double seconds, LatencyStats sendLatency, LongAdder acked, LongAdder skipped,
                          Map<String, LongAdder> errors) {}

  /** Sends {@code perSecond} messages/s for {@code seconds} (each body stamped with its intended time). */
  private Schedule schedule(int perSecond, int seconds, List<String> tokens, List<String> threadIds,
                            DeliveryLedger ledger) {
    LatencyStats sendLatency = new LatencyStats();
    ConcurrentHashMap<String, LongAdder> errorsLive = new ConcurrentHashMap<>();
    LongAdder acked = new LongAdder();
    LongAdder skipped = new LongAdder();
    AtomicInteger inFlight = new AtomicInteger();
    long total = (long) perSecond * seconds;
    long start = System.nanoTime();
    Promise<Void> scheduled = Promise.promise();
    AtomicLong issued = new AtomicLong();
    AtomicInteger outstanding = new AtomicInteger(1);
    Runnable finishOne = () -> {
      if (outstanding.decrementAndGet() == 0) {
        scheduled.tryComplete();
      }
    };
    long periodic = run.vertx().setPeriodic(2, id -> {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / 1e9 * perSecond));
      for (long k = issued.get(); k < due; k = issued.incrementAndGet()) {
        long intended = start + (long) (k * 1e9 / perSecond);
        if (inFlight.get() >= maxInFlight) {
          skipped.increment();
          continue;
        }
        int t = (int) (k % threads);
        int m = (int) ((k / threads) % members);
        String threadId = threadIds.get(t);
        inFlight.incrementAndGet();
        outstanding.incrementAndGet();
        run.api(t * members + m).send(tokens.get(t * members + m), threadId, BridgeFrames.stampedBody(intended, bodySize), null, timeoutMs)
            .onComplete(ar -> {
              inFlight.decrementAndGet();
              if (ar.succeeded() && ar.result().statusCode() == 201) {
                acked.increment();
                sendLatency.recordNanos(System.nanoTime() - intended);
                ledger.acked(threadId, ar.result().bodyAsJsonObject().getJsonObject("message").getLong("seq"));
              } else {
                String key = ar.succeeded() ? String.valueOf(ar.result().statusCode()) : SendRateScenario.errorKind(ar.cause());
                errorsLive.computeIfAbsent(key, x -> new LongAdder()).increment();
              }
              finishOne.run();
            });
      }
      if (issued.get() >= total) {
        run.vertx().cancelTimer(id);
        finishOne.run();
      }
    });
    scheduled.future().await();
    run.vertx().cancelTimer(periodic);
    return new Schedule(start, (System.nanoTime() - start) / 1e9, sendLatency, acked, skipped, errorsLive);
  }

  private int unprobed(List<DeliveryLedger.Receiver> receivers, List<String> threadIds, List<Long> probes) {
    int missing = 0;
    for (int i = 0; i < receivers.size(); i++) {
      if (!receivers.get(i).hasSeen(probes.get(i / members))) {
        missing++;
      }
    }
    return missing;
  }
}
