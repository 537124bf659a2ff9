package chat.shared.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's Prometheus registry (one per JVM) and the application meters every service shares.
 * Vert.x's own metrics (event bus, HTTP, pools) are recorded in the same registry.
 */
public final class ChatMetrics {
  private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private ChatMetrics() {}

  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  public static String scrape() {
    return REGISTRY.scrape();
  }

  public static Counter messagesSent() {
    return REGISTRY.counter("chat_messages_sent_total");
  }

  public static Counter eventsPublished(String type) {
    return REGISTRY.counter("chat_events_published_total", "type", type);
  }

  public static Timer busRequest(String address) {
    return Timer.builder("chat_bus_request_seconds")
        .tag("address", address)
        .publishPercentiles(0.5, 0.99)
        .register(REGISTRY);
  }

  /** Bridge sockets closed because their client stopped reading (more than the buffer limit unsent). */
  public static Counter slowBridgeSockets() {
    return REGISTRY.counter("chat_bridge_slow_closed_total");
  }

  /** Sends per Postgres statement (1 when a send ran alone; more when concurrent sends were batched). */
  public static DistributionSummary sendBatchSize() {
    return DistributionSummary.builder("chat_send_batch_size").register(REGISTRY);
  }
}
