package chat.loadgen;

import io.vertx.core.json.JsonObject;

/**
 * One benchmark. {@link #run} blocks the calling (non-event-loop) thread until the scenario ends by
 * itself and returns its single result line; every loop inside is bounded by count and time.
 */
public interface Scenario {
  JsonObject run() throws Exception;
}
