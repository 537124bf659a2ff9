package chat.system.cluster;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link ClusterEventBusIT} with {@code BUS_ROUTING=address}: one bus consumer per registered address. */
class ClusterEventBusAddressRoutingIT extends ClusterEventBusIT {
  @BeforeAll
  static void startCluster() {
    startCluster(ClusterEventBusAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
