package chat.loadgen;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The badge query. Seeds, through the API, reader A in {@code threads} threads holding {@code messages}
 * messages in all, and reader B in those threads plus enough light threads ({@code light-messages}
 * each) to reach {@code big-threads}; every message is sent by a third member, so it is unread for both.
 * Then measures {@code GET /api/threads/unread} for A and for B, each first one request at a time (the
 * query's latency, which the goals are about) and then at {@code concurrency} in flight (throughput, and
 * the queueing it brings on a small machine), {@code duration} seconds each, and checks the reported
 * totals against what was seeded.
 *
 * <p>Seeding is bounded by {@code seed-timeout} seconds: when the system is too slow, the result says so
 * ({@code seedComplete:false}) and reports what was reached.
 */
public final class UnreadScenario implements Scenario {
  private final Run run;
  private final int threads;
  private final long messages;
  private final int bigThreads;
  private final int lightMessages;
  private final int seedConcurrency;
  private final int seedTimeoutSeconds;
  private final int concurrency;
  private final int durationSeconds;

  public UnreadScenario(Run run, Args args) {
    this.run = run;
    this.threads = Math.max(1, args.integer("threads", 200));
    this.messages = args.longValue("messages", 200_000);
    this.bigThreads = Math.max(threads, args.integer("big-threads", 2_000));
    this.lightMessages = args.integer("light-messages", 2);
    this.seedConcurrency = Math.max(1, args.integer("seed-concurrency", 64));
    this.seedTimeoutSeconds = Math.max(1, args.integer("seed-timeout", 300));
    this.concurrency = Math.max(1, args.integer("concurrency", 8));
    this.durationSeconds = Math.max(1, args.integer("duration", 10));
  }

  @Override
  public JsonObject run() {
    List<String> tokens = run.login("u", 3);
    String sender = tokens.get(0);
    String readerA = run.userId("u", 1);
    String readerB = run.userId("u", 2);
    long setupStart = System.nanoTime();
    List<String> threadIds = Async.map(bigThreads, run.setupConcurrency(), t ->
        run.api().createThread(sender, "unread " + t, t < threads ? List.of(readerA, readerB) : List.of(readerB))).await();
    double createSeconds = (System.nanoTime() - setupStart) / 1e9;

    long lightTotal = (long) (bigThreads - threads) * lightMessages;
    long plan = messages + lightTotal;
    long seedDeadline = System.nanoTime() + seedTimeoutSeconds * 1_000_000_000L;
    long[] sentA = new long[threads];
    AtomicLong next = new AtomicLong();
    LongAdder seeded = new LongAdder();
    LongAdder seedErrors = new LongAdder();
    AtomicInteger lanes = new AtomicInteger(seedConcurrency);
    Promise<Void> seedDone = Promise.promise();
    long seedStart = System.nanoTime();
    for (int lane = 0; lane < seedConcurrency; lane++) {
      new Object() {
        void next() {
          long k = next.getAndIncrement();
          if (k >= plan || System.nanoTime() > seedDeadline) {
            if (lanes.decrementAndGet() == 0) {
              seedDone.complete();
            }
            return;
          }
          int t = k < messages ? (int) (k % threads) : threads + (int) ((k - messages) % (bigThreads - threads));
          run.api().send(sender, threadIds.get(t), "seed " + k, null, 30_000).onComplete(ar -> {
            if (ar.succeeded() && ar.result().statusCode() == 201) {
              seeded.increment();
              if (t < threads) {
                synchronized (sentA) {
                  sentA[t]++;
                }
              }
            } else {
              seedErrors.increment();
            }
            next();
          });
        }
      }.next();
    }
    seedDone.future().await();
    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
    long messagesA;
    synchronized (sentA) {
      long sum = 0;
      for (long v : sentA) {
        sum += v;
      }
      messagesA = sum;
    }
    long messagesB = seeded.sum();

    JsonArray users = new JsonArray();
    for (int c : concurrency == 1 ? List.of(1) : List.of(1, concurrency)) {
      users.add(measure(tokens.get(1), threads, messagesA, c));
      users.add(measure(tokens.get(2), bigThreads, messagesB, c));
    }
    return new JsonObject()
        .put("seedComplete", seeded.sum() == plan)
        .put("seedPlanned", plan)
        .put("seeded", seeded.sum())
        .put("seedErrors", seedErrors.sum())
        .put("seedSeconds", LatencyStats.round3(seedSeconds))
        .put("seedSendsPerSec", LatencyStats.round3(seeded.sum() / Math.max(1e-9, seedSeconds)))
        .put("threadCreateSeconds", LatencyStats.round3(createSeconds))
        .put("users", users);
  }

  private JsonObject measure(String token, int threadCount, long expectedTotal, int inFlight) {
    LatencyStats latency = new LatencyStats();
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicLong lastTotal = new AtomicLong(-1);
    AtomicLong lastThreads = new AtomicLong(-1);
    long warmTo = System.nanoTime() + 1_000_000_000L;
    long[] window = new long[2];
    AtomicInteger lanes = new AtomicInteger(inFlight);
    Promise<Void> done = Promise.promise();
    ProcStats.CpuWindow[] cpu = new ProcStats.CpuWindow[1];
    window[0] = warmTo;
    window[1] = warmTo + durationSeconds * 1_000_000_000L;
    run.vertx().setTimer(1000, t -> cpu[0] = ProcStats.CpuWindow.start(run.processes()));
    for (int lane = 0; lane < inFlight; lane++) {
      new Object() {
        void next() {
          long start = System.nanoTime();
          if (start >= window[1]) {
            if (lanes.decrementAndGet() == 0) {
              done.complete();
            }
            return;
          }
          run.api().unread(token, 30_000).onComplete(ar -> {
            long end = System.nanoTime();
            boolean good = ar.succeeded() && ar.result().statusCode() == 200;
            if (start >= window[0] && end <= window[1]) {
              if (good) {
                ok.increment();
                latency.recordNanos(end - start);
              } else {
                failed.increment();
              }
            }
            if (good && lastTotal.get() < 0) {
              JsonObject body = ar.result().bodyAsJsonObject();
              lastThreads.set(body.getJsonArray("byThread", new JsonArray()).size());
              lastTotal.set(body.getLong("total", -1L));
            }
            next();
          });
        }
      }.next();
    }
    done.future().await();
    return new JsonObject()
        .put("threads", threadCount)
        .put("concurrency", inFlight)
        .put("messages", expectedTotal)
        .put("reportedThreads", lastThreads.get())
        .put("reportedTotal", lastTotal.get())
        .put("totalCorrect", lastTotal.get() == expectedTotal)
        .put("requests", ok.sum())
        .put("errors", failed.sum())
        .put("requestsPerSec", LatencyStats.round3(ok.sum() / (double) durationSeconds))
        .put("latencyMs", latency.toJson())
        .put("cpu", cpu[0] == null ? new JsonObject() : cpu[0].toJson());
  }
}
