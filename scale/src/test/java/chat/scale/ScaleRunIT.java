package chat.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on a tiny cluster of real node JVMs: every registration it counts is one the
 * cluster made, the storm re-registers exactly the dead node's sockets on the survivors, the dead node's
 * registrations disappear, and the disconnect storm removes exactly what the storm added.
 */
class ScaleRunIT {
  @Test
  void stormReRegistersExactlyTheDeadNodesSockets(@TempDir Path out) throws Exception {
    Settings s = Settings.parse("--nodes", "3", "--registrations", "600", "--xmx", "192m", "--hot", "2",
        "--publish-rate", "50", "--quiet-seconds", "1", "--phase-timeout", "120", "--join", "true",
        "--out", out.toString());
    JsonObject r = Coordinator.run(s);

    assertFalse(r.containsKey("broke"), () -> r.encodePrettily());
    int perNode = s.socketsPerNode() * 5;
    // every node: its own sockets plus the hot threads on each of its two instances
    r.getJsonObject("heap").getJsonArray("nodes").forEach(n ->
        assertEquals(perNode + 2 * 2, ((JsonObject) n).getInteger("consumers")));
    assertEquals(3 * perNode, r.getJsonObject("register").getInteger("registrations"));
    JsonObject storm = r.getJsonObject("storm");
    assertEquals(perNode, storm.getInteger("operations"));
    assertEquals(perNode, storm.getJsonObject("registerLatencyMs").getInteger("count"));
    assertEquals(0, storm.getInteger("failed"));
    assertTrue(storm.getJsonObject("deadNode").getDouble("registrationsGoneSeconds") > 0, storm::encode);
    assertEquals(perNode, r.getJsonObject("unregisterStorm").getInteger("operations"));
    assertTrue(storm.getJsonObject("publish").getLong("count") > 0, "events reached the survivors during the storm");
    assertTrue(r.getJsonObject("join").getLong("readyToSafeMs") >= 0);
  }
}
