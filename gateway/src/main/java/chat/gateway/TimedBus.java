package chat.gateway;

import chat.shared.bus.Bus;
import chat.shared.bus.Endpoint;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's only way to call services: {@link Bus#request} (bounded timeout, failures as
 * ChatException) with the latency of every call recorded per address ({@code chat_bus_request_seconds}).
 */
public final class TimedBus {
  private final Bus bus;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public TimedBus(Vertx vertx, long timeoutMs) {
    this.bus = new Bus(vertx, timeoutMs);
  }

  public <Q, R> Future<R> request(Endpoint<Q, R> endpoint, Q request) {
    Timer timer = timers.computeIfAbsent(endpoint.address(), ChatMetrics::busRequest);
    long start = System.nanoTime();
    return bus.request(endpoint, request).andThen(ar -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }
}
