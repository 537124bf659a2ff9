package chat.shared.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The readiness checks of one process: each verticle registers what it depends on (Postgres, Redis,
 * the cluster). A check is a future that fails, or does not finish within 2 s, when it is down.
 */
public final class Readiness {
  private static final Map<Vertx, Map<String, Supplier<Future<?>>>> CHECKS = new ConcurrentHashMap<>();
  private static final long CHECK_TIMEOUT_MS = 2000;

  private Readiness() {}

  public static void register(Vertx vertx, String name, Supplier<Future<?>> check) {
    CHECKS.computeIfAbsent(vertx, v -> new ConcurrentHashMap<>()).put(name, check);
  }

  public static void unregister(Vertx vertx, String name) {
    Map<String, Supplier<Future<?>>> checks = CHECKS.get(vertx);
    if (checks != null) {
      checks.remove(name);
    }
  }

  /** Runs every check; the result has {@code status} UP/DOWN and one entry per check. */
  public static Future<JsonObject> check(Vertx vertx) {
    Map<String, Supplier<Future<?>>> checks = CHECKS.getOrDefault(vertx, Map.of());
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<?>> results = new ArrayList<>();
    for (String name : names) {
      Future<?> f;
      try {
        f = checks.get(name).get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      results.add(f.timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    return Future.join(results).transform(ignored -> {
      JsonObject details = new JsonObject();
      boolean up = true;
      for (int i = 0; i < names.size(); i++) {
        boolean ok = results.get(i).succeeded();
        up &= ok;
        details.put(names.get(i), ok ? "UP" : "DOWN: " + results.get(i).cause().getMessage());
      }
      return Future.succeededFuture(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details));
    });
  }
}
