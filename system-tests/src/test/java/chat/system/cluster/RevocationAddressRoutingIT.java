package chat.system.cluster;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** {@link RevocationIT} with {@code BUS_ROUTING=address}. */
class RevocationAddressRoutingIT extends RevocationIT {
  @BeforeAll
  static void startCluster() {
    startCluster(RevocationAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
