package chat.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar loadgen-all.jar <sendrate|fanout|unread|connections|idle> --url http://127.0.0.1:8080 [options]}
 * (sendrate and fanout also take several gateways, {@code --url http://127.0.0.1:8080,http://127.0.0.1:8081},
 * and several processes to sample, {@code --pids gateway-1=123,messaging=456,...}) prints one JSON line with the scenario's result; {@code report <results.jsonl>} prints the Markdown table
 * of a bench run and, with {@code --performance} and {@code --readme}, writes the full table and the short
 * one into those documents.
 *
 * <p>Every run ends by itself: the scenario's own durations bound it, and {@code --max-seconds}
 * (default 900) aborts it with an error line. Exit status 0 on a result, 1 on an error, 2 on bad usage.
 */
public final class LoadgenMain {
  private LoadgenMain() {}

  public static void main(String[] argv) {
    Args args;
    try {
      args = Args.parse(argv);
      if (args.scenario().equals("report")) {
        System.exit(report(args));
      }
      args.url();
    } catch (IllegalArgumentException e) {
      System.err.println("loadgen: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(runScenario(args));
  }

  private static int report(Args args) {
    String file = args.positional();
    if (file == null) {
      throw new IllegalArgumentException(
          "usage: loadgen report <results.jsonl> [--machine text] [--performance docs/performance.md] [--readme README.md --note text]");
    }
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      String table = BenchReport.table(lines, args.string("machine", null));
      System.out.println(table);
      writeSection(args.string("performance", null), table);
      writeSection(args.string("readme", null), BenchReport.summary(lines, args.string("note", null)));
      return 0;
    } catch (Exception e) {
      System.err.println("loadgen report: " + e);
      return 1;
    }
  }

  /** Writes {@code table} between the bench markers of {@code document}, when one is given and has them. */
  private static void writeSection(String document, String table) throws IOException {
    if (document == null) {
      return;
    }
    String updated = BenchReport.replaceSection(Files.readString(Path.of(document)), table);
    if (updated == null) {
      System.err.println("loadgen: " + document + " has no <!-- bench:start --> / <!-- bench:end --> markers; left alone");
    } else {
      Files.writeString(Path.of(document), updated);
    }
  }

  private static int runScenario(Args args) {
    long maxSeconds = args.longValue("max-seconds", 900);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, args.integer("loops", 2))));
    JsonObject line = new JsonObject().put("scenario", args.scenario()).put("startedAt", Instant.now().toString());
    AtomicReference<JsonObject> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        List<URI> urls = args.urls();
        int httpConnections = Math.max(8, args.integer("http-connections", 64));
        Run run = new Run(
            vertx,
            urls.stream().map(u -> new ChatApi(vertx, u, httpConnections)).toList(),
            urls,
            args.processes(),
            args.string("tag", "lg" + Long.toString(System.currentTimeMillis(), 36) + ThreadLocalRandom.current().nextInt(100)),
            Math.max(1, args.integer("setup-concurrency", 32)));
        for (ChatApi api : run.apis()) {
          api.ready(10_000).await();
        }
        result.set(scenario(run, args).run());
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "loadgen-scenario");
    worker.setDaemon(true);
    worker.start();
    try {
      worker.join(maxSeconds * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    line.put("params", new JsonObject(new java.util.LinkedHashMap<>(args.used())));
    int status;
    if (result.get() != null) {
      line.mergeIn(result.get());
      status = 0;
    } else {
      Throwable t = failure.get();
      line.put("error", t == null ? "aborted after --max-seconds " + maxSeconds : String.valueOf(t));
      status = 1;
    }
    System.out.println(line.encode());
    System.out.flush();
    vertx.close().await();
    return status;
  }

  static Scenario scenario(Run run, Args args) {
    return switch (args.scenario()) {
      case "sendrate" -> new SendRateScenario(run, args);
      case "fanout" -> new FanoutScenario(run, args);
      case "unread" -> new UnreadScenario(run, args);
      case "connections" -> new ConnectionsScenario(run, args);
      case "idle" -> new IdleScenario(run, args);
      default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
    };
  }
}
