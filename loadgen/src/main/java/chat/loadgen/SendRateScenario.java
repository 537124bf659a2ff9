package chat.loadgen;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop HTTP sends: {@code concurrency} senders, each sending its next message as soon as the
 * previous one is answered, into {@code threads} threads (two members each), for {@code warmup} then
 * {@code duration} seconds. Only requests started and answered inside the measured window count. With
 * several gateways, lane {@code i} sends through gateway {@code i mod gateways}.
 */
public final class SendRateScenario implements Scenario {
  private final Run run;
  private final int concurrency;
  private final int threads;
  private final int warmupSeconds;
  private final int durationSeconds;
  private final int bodySize;
  private final boolean clientIds;
  private final long timeoutMs;

  public SendRateScenario(Run run, Args args) {
    this.run = run;
    this.concurrency = Math.max(1, args.integer("concurrency", 32));
    this.threads = Math.max(1, args.integer("threads", 32));
    this.warmupSeconds = args.integer("warmup", 3);
    this.durationSeconds = Math.max(1, args.integer("duration", 10));
    this.bodySize = args.integer("body-size", 64);
    this.clientIds = args.flag("client-ids", true);
    this.timeoutMs = args.longValue("timeout-ms", 5_000);
  }

  @Override
  public JsonObject run() {
    List<String> senders = run.login("s", threads);
    List<String> partners = run.login("p", threads);
    List<String> threadIds = Async.map(threads, run.setupConcurrency(), i ->
        run.api().createThread(senders.get(i), "sendrate " + i, List.of(run.userId("p", i)))).await();

    LatencyStats latency = new LatencyStats();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    LongAdder acked = new LongAdder();
    long start = System.nanoTime();
    long measureFrom = start + warmupSeconds * 1_000_000_000L;
    long measureTo = measureFrom + durationSeconds * 1_000_000_000L;
    AtomicInteger lanesLeft = new AtomicInteger(concurrency);
    AtomicLong counter = new AtomicLong();
    Promise<Void> done = Promise.promise();
    ProcStats.CpuWindow[] cpu = new ProcStats.CpuWindow[1];
    run.vertx().setTimer(Math.max(1, warmupSeconds * 1000L), t -> cpu[0] = ProcStats.CpuWindow.start(run.processes()));

    for (int lane = 0; lane < concurrency; lane++) {
      int thread = lane % threads;
      int target = lane;
      new Object() {
        void next() {
          long now = System.nanoTime();
          if (now >= measureTo) {
            if (lanesLeft.decrementAndGet() == 0) {
              done.complete();
            }
            return;
          }
          String body = BridgeFrames.stampedBody(now, bodySize);
          String clientId = clientIds ? UUID.randomUUID().toString() : null;
          run.api(target).send(senders.get(thread), threadIds.get(thread), body, clientId, timeoutMs).onComplete(ar -> {
            long end = System.nanoTime();
            boolean counted = now >= measureFrom && end <= measureTo;
            counter.incrementAndGet();
            if (counted) {
              if (ar.succeeded() && ar.result().statusCode() == 201) {
                acked.increment();
                latency.recordNanos(end - now);
              } else {
                String key = ar.succeeded() ? String.valueOf(ar.result().statusCode()) : errorKind(ar.cause());
                errors.computeIfAbsent(key, k -> new LongAdder()).increment();
              }
            }
            next();
          });
        }
      }.next();
    }
    done.future().await();
    JsonObject cpuJson = cpu[0] == null ? new JsonObject() : cpu[0].toJson();
    JsonObject errorCounts = new JsonObject();
    new TreeMap<>(errors).forEach((k, v) -> errorCounts.put(k, v.sum()));
    return new JsonObject()
        .put("gateways", run.targets())
        .put("sends", acked.sum())
        .put("sendsPerSec", LatencyStats.round3(acked.sum() / (double) durationSeconds))
        .put("latencyMs", latency.toJson())
        .put("errors", errorCounts)
        .put("requestsTotal", counter.get())
        .put("cpu", cpuJson);
  }

  static String errorKind(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = String.valueOf(t.getMessage()).toLowerCase();
    if (name.contains("Timeout") || msg.contains("timeout") || msg.contains("timed out")) {
      return "timeout";
    }
    if (msg.contains("refused")) {
      return "refused";
    }
    if (msg.contains("closed") || msg.contains("reset")) {
      return "closed";
    }
    return "io";
  }
}
