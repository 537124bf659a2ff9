package chat.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown tables of a bench run (one row per result line; one per user and concurrency for
 * {@code unread}), each row checked against the goals of issue 7: the full table (settings, every
 * percentile, CPU split) for docs/performance.md and a short one (headline number, goal, met) for the
 * README, each written between {@code <!-- bench:start -->} and {@code <!-- bench:end -->}.
 */
public final class BenchReport {
  public static final String START = "<!-- bench:start -->";
  public static final String END = "<!-- bench:end -->";

  private BenchReport() {}

  /** One result row: the full table's cells, and the short table's {@code brief} (what ran) and {@code headline}. */
  record Row(String scenario, String settings, String result, String goal, String met, String cpu,
             String brief, String headline) {
    String full() {
      return row(scenario, settings, result, goal, met, cpu);
    }

    String summary() {
      return row(brief, headline, goal, met);
    }

    /** False for rows measured beside a goal rather than against it (the badge with several in flight). */
    boolean judged() {
      return !"–".equals(met);
    }
  }

  /** The full table, after the {@code machine} paragraph. */
  public static String table(List<String> jsonLines, String machine) {
    StringBuilder sb = new StringBuilder();
    if (machine != null && !machine.isBlank()) {
      sb.append(machine.strip()).append("\n\n");
    }
    sb.append("| Scenario | Settings | Result | Goal (issue 7) | Met | CPU cores: server / Postgres / loadgen / other; CPU per operation |\n");
    sb.append("|---|---|---|---|---|---|\n");
    rows(jsonLines).forEach(r -> sb.append(r.full()).append('\n'));
    return sb.toString();
  }

  /** The short table of the rows judged against a goal, after the {@code note} line (when, which commit). */
  public static String summary(List<String> jsonLines, String note) {
    StringBuilder sb = new StringBuilder();
    if (note != null && !note.isBlank()) {
      sb.append(note.strip()).append("\n\n");
    }
    sb.append("| Scenario | Result | Goal (issue 7) | Met |\n");
    sb.append("|---|---|---|---|\n");
    rows(jsonLines).stream().filter(Row::judged).forEach(r -> sb.append(r.summary()).append('\n'));
    return sb.toString();
  }

  private static List<Row> rows(List<String> jsonLines) {
    List<Row> rows = new ArrayList<>();
    for (String line : jsonLines) {
      if (!line.isBlank()) {
        rows.addAll(rows(new JsonObject(line)));
      }
    }
    return rows;
  }

  static List<Row> rows(JsonObject r) {
    String scenario = r.getString("scenario", "?");
    JsonObject p = r.getJsonObject("params", new JsonObject());
    if (r.containsKey("error")) {
      String failed = "**failed**: " + escape(r.getString("error"));
      return List.of(new Row(scenario, settings(scenario, p), failed, goal(scenario), "no", "", scenario, failed));
    }
    return switch (scenario) {
      case "sendrate" -> List.of(sendrate(r, p));
      case "fanout" -> List.of(fanout(r, p));
      case "unread" -> unread(r, p);
      case "connections" -> List.of(connections(r));
      case "idle" -> List.of(idle(r, p));
      default -> List.of(new Row(scenario, "", escape(r.encode()), "", "", "", scenario, escape(r.encode())));
    };
  }

  private static Row sendrate(JsonObject r, JsonObject p) {
    JsonObject l = r.getJsonObject("latencyMs", new JsonObject());
    double rate = r.getDouble("sendsPerSec", 0.0);
    double p99 = l.getDouble("p99", 0.0);
    String result = String.format(Locale.ROOT, "**%s sends/s**; p50 %s ms, p90 %s ms, p99 %s ms, max %s ms; errors %s",
        big(rate), ms(l.getDouble("p50", 0.0)), ms(l.getDouble("p90", 0.0)), ms(p99), ms(l.getDouble("max", 0.0)),
        errors(r.getJsonObject("errors")));
    List<String> misses = new ArrayList<>();
    if (rate < 10_000) {
      misses.add(String.format(Locale.ROOT, "rate %.0f%% of goal", rate / 100.0));
    }
    if (p99 >= 50) {
      misses.add("p99 " + ms(p99) + " ms");
    }
    JsonObject cpu = r.getJsonObject("cpu");
    long sends = r.getLong("sends", 0L);
    String headline = String.format(Locale.ROOT, "**%s sends/s**, p99 %s ms%s%s", big(rate), ms(p99),
        errorsIfAny(r.getJsonObject("errors")), clustered(r) ? serverCpuPerOp(cpu, sends, "send") : "");
    return new Row(label("sendrate", r), settings("sendrate", p), result, goal("sendrate"), met(misses),
        cpu(cpu, sends, "send"), "sends, " + p.getValue("concurrency", "?") + " in flight" + topology(r), headline);
  }

  private static Row fanout(JsonObject r, JsonObject p) {
    JsonObject l = r.getJsonObject("e2eLatencyMs", new JsonObject());
    double rate = r.getDouble("messagesPerSec", 0.0);
    double p99 = l.getDouble("p99", 0.0);
    long lost = r.getLong("lost", 0L);
    long skipped = r.getLong("skipped", 0L);
    String result = String.format(Locale.ROOT,
        "**%s msg/s, %s deliveries/s**; end-to-end p50 %s ms, p99 %s ms, max %s ms; **lost %d**, duplicates %d%s; errors %s",
        big(rate), big(r.getDouble("deliveriesPerSec", 0.0)), ms(l.getDouble("p50", 0.0)), ms(p99), ms(l.getDouble("max", 0.0)),
        lost, r.getLong("duplicates", 0L), skipped > 0 ? "; schedule missed " + skipped + " sends" : "",
        errors(r.getJsonObject("errors")));
    List<String> misses = new ArrayList<>();
    long offered = p.getLong("rate", 0L);
    long members = p.getLong("members", 0L);
    if (offered < 5_000 || members < 10) {
      misses.add("below goal load");
    }
    if (rate < 0.99 * Math.min(offered, 5_000) || rate < 4_950) {
      misses.add(String.format(Locale.ROOT, "rate %.0f%% of 5,000", rate / 50.0));
    }
    if (p99 >= 50) {
      misses.add("p99 " + ms(p99) + " ms");
    }
    if (lost > 0) {
      misses.add(lost + " lost");
    }
    String brief = String.format(Locale.ROOT, "fan-out, %s msg/s offered, %s threads x %s members%s",
        big(offered), p.getValue("threads", "?"), members, topology(r));
    JsonObject cpu = r.getJsonObject("cpu");
    long messages = r.getLong("acked", 0L);
    String headline = String.format(Locale.ROOT, "**%s msg/s**, p99 %s ms, lost %d%s%s",
        big(rate), ms(p99), lost, errorsIfAny(r.getJsonObject("errors")), clustered(r) ? serverCpuPerOp(cpu, messages, "message") : "");
    return new Row(label("fanout", r), settings("fanout", p), result, goal("fanout"), met(misses), cpu(cpu, messages, "message"),
        brief, headline);
  }

  private static List<Row> unread(JsonObject r, JsonObject p) {
    List<Row> out = new ArrayList<>();
    JsonArray users = r.getJsonArray("users", new JsonArray());
    String seed = String.format(Locale.ROOT, "seeded %s msgs in %s s (%s sends/s)%s",
        big(r.getLong("seeded", 0L)), ms(r.getDouble("seedSeconds", 0.0)), big(r.getDouble("seedSendsPerSec", 0.0)),
        r.getBoolean("seedComplete", false) ? "" : ", **incomplete** of " + big(r.getLong("seedPlanned", 0L)));
    for (int i = 0; i < users.size(); i++) {
      JsonObject u = users.getJsonObject(i);
      JsonObject l = u.getJsonObject("latencyMs", new JsonObject());
      int threads = u.getInteger("threads", 0);
      double median = l.getDouble("p50", 0.0);
      double limit = threads <= 200 ? 2.0 : 10.0;
      int c = u.getInteger("concurrency", p.getInteger("concurrency", 8));
      // The goals are about the query's latency: judged one request at a time; rows with several in
      // flight show throughput and the queueing it costs on two shared cores.
      boolean judged = c == 1;
      String settings = String.format(Locale.ROOT, "%s threads, %s messages, C=%d%s, %d s; %s",
          big(threads), big(u.getLong("messages", 0L)), c, judged ? " (one request at a time)" : " (load)",
          p.getInteger("duration", 10), seed);
      String result = String.format(Locale.ROOT, "**median %s ms**, p99 %s ms, %s req/s; total %s",
          ms(median), ms(l.getDouble("p99", 0.0)), big(u.getDouble("requestsPerSec", 0.0)),
          u.getBoolean("totalCorrect", false) ? "correct" : "**wrong** (" + u.getLong("reportedTotal") + ")");
      List<String> misses = new ArrayList<>();
      if (judged && median >= limit) {
        misses.add(String.format(Locale.ROOT, "median %.1fx the goal", median / limit));
      }
      if (!r.getBoolean("seedComplete", false)) {
        misses.add("data set incomplete");
      }
      if (!u.getBoolean("totalCorrect", false)) {
        misses.add("wrong total");
      }
      String goal = threads <= 200 ? "200 threads: median < 2 ms" : "2,000 threads: median < 10 ms";
      String brief = String.format(Locale.ROOT, "badge, %s threads, %s", big(threads), judged ? "one request at a time" : c + " in flight");
      String headline = String.format(Locale.ROOT, "**median %s ms**, p99 %s ms%s%s", ms(median), ms(l.getDouble("p99", 0.0)),
          judged ? "" : ", " + big(u.getDouble("requestsPerSec", 0.0)) + " req/s",
          u.getBoolean("totalCorrect", false) ? "" : ", total **wrong**");
      out.add(new Row("unread", settings, result, judged ? goal : "(not judged: " + c + " in flight)",
          judged || !misses.isEmpty() ? met(misses) : "–", cpu(u.getJsonObject("cpu")), brief, headline));
    }
    return out;
  }

  private static Row connections(JsonObject r) {
    long open = r.getLong("connections", 0L);
    Long heap = r.getLong("heapBytesPerConnection");
    Long rss = r.getLong("rssBytesPerConnection");
    JsonArray b = r.getJsonArray("broadcastMs", new JsonArray());
    double worst = 0;
    boolean allReached = !b.isEmpty();
    for (int i = 0; i < b.size(); i++) {
      double v = b.getDouble(i);
      allReached &= v >= 0;
      worst = Math.max(worst, v);
    }
    JsonArray capped = r.getJsonArray("cappedBy");
    String settings = String.format(Locale.ROOT, "%s idle bridge connections (%s requested)%s, ping every %s ms",
        big(open), big(r.getLong("requested", 0L)), capped == null ? "" : ", capped by " + String.join(", ", capped.getList()),
        r.getJsonObject("params", new JsonObject()).getValue("ping-ms", "?"));
    String result = String.format(Locale.ROOT, "heap **%s/conn**, RSS %s/conn; broadcast to all: **%s**",
        heap == null ? "n/a" : kb(heap), rss == null ? "n/a" : kb(rss),
        allReached ? "max " + ms(worst) + " ms over " + b.size() : "not all reached (min " + r.getLong("broadcastReachedMin") + ")");
    List<String> misses = new ArrayList<>();
    if (open < 50_000) {
      misses.add(String.format(Locale.ROOT, "%.0f%% of 50,000 conns", open / 500.0));
    }
    if (heap == null || heap >= 20 * 1024) {
      misses.add(heap == null ? "heap unknown" : "heap " + kb(heap) + "/conn");
    }
    if (!allReached || worst >= 1000) {
      misses.add("broadcast " + (allReached ? ms(worst) + " ms" : "incomplete"));
    }
    String headline = String.format(Locale.ROOT, "heap **%s/conn**, broadcast %s", heap == null ? "n/a" : kb(heap),
        allReached ? "max " + ms(worst) + " ms" : "incomplete");
    return new Row("connections", settings, result, goal("connections"), met(misses), "",
        big(open) + " idle bridge connections", headline);
  }

  /** The server processes at rest: not judged, shown so each operation's CPU can be read net of it. */
  private static Row idle(JsonObject r, JsonObject p) {
    JsonObject cpu = r.getJsonObject("cpu");
    String result = cpu == null || !cpu.containsKey("serverCores") ? "n/a"
        : "server processes at rest: **" + cpu.getValue("serverCores") + " cores**";
    return new Row(label("idle", r), "no traffic, " + p.getValue("duration", "?") + " s", result, "", "–", cpu(cpu),
        "at rest" + topology(r), result);
  }

  private static String settings(String scenario, JsonObject p) {
    return switch (scenario) {
      case "sendrate" -> String.format(Locale.ROOT, "C=%s, %s threads, %s s after %s s warm-up",
          p.getValue("concurrency", "?"), p.getValue("threads", "?"), p.getValue("duration", "?"), p.getValue("warmup", "?"));
      case "fanout" -> String.format(Locale.ROOT, "%s threads x %s members (bridge WebSockets), %s msg/s open loop, %s s%s",
          p.getValue("threads", "?"), p.getValue("members", "?"), p.getValue("rate", "?"), p.getValue("duration", "?"),
          p.getInteger("warmup", 0) > 0 ? " after " + p.getValue("warmup") + " s warm-up" : "");
      default -> "";
    };
  }

  private static String goal(String scenario) {
    return switch (scenario) {
      case "sendrate" -> ">= 10,000 sends/s, p99 < 50 ms";
      case "fanout" -> "5,000 msg/s x 10 members, p99 < 50 ms, 0 lost";
      case "unread" -> "median < 2 ms (200 threads) / < 10 ms (2,000)";
      case "connections" -> "50,000 conns, < 20 KB heap each, broadcast < 1 s";
      default -> "";
    };
  }

  private static String met(List<String> misses) {
    return misses.isEmpty() ? "yes" : "no: " + String.join("; ", misses);
  }

  private static String cpu(JsonObject cpu) {
    if (cpu == null || !cpu.containsKey("loadgenCores")) {
      return "";
    }
    Object server = cpu.getValue("serverCores");
    Object other = cpu.getValue("otherCores");
    Object postgres = cpu.getValue("postgresCores");
    JsonObject each = cpu.getJsonObject("processes");
    String servers = server == null ? "?" : String.valueOf(server);
    if (each != null && !each.isEmpty()) {
      List<String> parts = new ArrayList<>();
      each.forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
      servers += " (" + String.join(", ", parts) + ")";
    }
    return servers + " / " + (postgres == null ? "?" : postgres) + " / " + cpu.getValue("loadgenCores")
        + " / " + (other == null ? "?" : other);
  }

  /**
   * The cores cell followed by the CPU time each server process (and Postgres) spent per operation in the
   * measured window: cores x window seconds / operations.
   */
  private static String cpu(JsonObject cpu, long ops, String op) {
    String cores = cpu(cpu);
    if (cores.isEmpty() || ops <= 0 || !cpu.containsKey("seconds")) {
      return cores;
    }
    double seconds = cpu.getDouble("seconds");
    List<String> parts = new ArrayList<>();
    JsonObject each = cpu.getJsonObject("processes");
    if (each != null && !each.isEmpty()) {
      each.forEach(e -> parts.add(e.getKey() + " " + micros(((Number) e.getValue()).doubleValue(), seconds, ops)));
      if (cpu.containsKey("serverCores")) {
        parts.add("all " + micros(cpu.getDouble("serverCores"), seconds, ops));
      }
    } else if (cpu.containsKey("serverCores")) {
      parts.add("server " + micros(cpu.getDouble("serverCores"), seconds, ops));
    }
    if (cpu.containsKey("postgresCores")) {
      parts.add("Postgres " + micros(cpu.getDouble("postgresCores"), seconds, ops));
    }
    return parts.isEmpty() ? cores : cores + "; per " + op + ": " + String.join(", ", parts);
  }

  /** {@code ", server CPU N µs/op"} for the short table, or "" when unknown. */
  private static String serverCpuPerOp(JsonObject cpu, long ops, String op) {
    if (cpu == null || !cpu.containsKey("serverCores") || !cpu.containsKey("seconds") || ops <= 0) {
      return "";
    }
    return ", server CPU " + micros(cpu.getDouble("serverCores"), cpu.getDouble("seconds"), ops) + "/" + op;
  }

  private static String micros(double cores, double seconds, long ops) {
    return String.format(Locale.ROOT, "%.0f µs", cores * seconds / ops * 1e6);
  }

  /** A run through several gateways: the cluster bench. */
  private static boolean clustered(JsonObject r) {
    return r.getInteger("gateways", 1) > 1;
  }

  private static String label(String scenario, JsonObject r) {
    return clustered(r) ? scenario + " (cluster)" : scenario;
  }

  private static String topology(JsonObject r) {
    if (!clustered(r)) {
      return "";
    }
    JsonObject each = r.getJsonObject("cpu", new JsonObject()).getJsonObject("processes");
    int processes = each == null ? 0 : each.size();
    return ", cluster of " + (processes > 0 ? processes + " JVMs, " : "") + r.getInteger("gateways") + " gateways";
  }

  private static String errors(JsonObject errors) {
    if (errors == null || errors.isEmpty()) {
      return "0";
    }
    List<String> parts = new ArrayList<>();
    errors.forEach(e -> parts.add(e.getKey() + ": " + e.getValue()));
    return String.join(", ", parts);
  }

  private static String errorsIfAny(JsonObject errors) {
    return errors == null || errors.isEmpty() ? "" : "; errors " + errors(errors);
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  static String big(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String ms(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  static String kb(long bytes) {
    return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }

  /** {@code document} with the text between the markers replaced by {@code table}; null when a marker is missing. */
  public static String replaceSection(String document, String table) {
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      return null;
    }
    return document.substring(0, start + START.length()) + "\n" + table.strip() + "\n" + document.substring(end);
  }
}
