package chat.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void defaultsAndSocketsPerNode() {
    Settings s = Settings.parse("--nodes", "5", "--registrations", "1_000_000");
    assertEquals(5, s.nodes());
    assertEquals("1g", s.xmx());
    // 200,000 registrations a node, five per socket (its user address and four threads)
    assertEquals(40_000, s.socketsPerNode());
  }

  @Test
  void refusesUnknownOptionsAndUnboundedRuns() {
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--nodse", "3"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--nodes"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--nodes", "40"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--xmx", "-1; rm"));
  }

  @Test
  void addressesAreShapedLikeTheGatewaysAndDistinctPerSocket() {
    String thread = SimAddresses.thread(4, 39_999, 3);
    UUID.fromString(thread.substring("chat.thread.".length()));
    assertEquals(thread, SimAddresses.thread(4, 39_999, 3));
    assertEquals(5, SimAddresses.ofSocket(1, 7, 4).stream().distinct().count());
    assertEquals(false, SimAddresses.ofSocket(1, 7, 4).contains(SimAddresses.thread(2, 7, 0)));
    assertEquals(true, SimAddresses.user(3, 12).matches("chat\\.user\\.[A-Za-z0-9._@:+-]{1,128}"));
  }
}
