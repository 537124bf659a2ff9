package chat.system.cluster;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** {@link MultiProcessClusterIT} with {@code BUS_ROUTING=address}: every process of the cluster routes per address. */
class MultiProcessClusterAddressRoutingIT extends MultiProcessClusterIT {
  @BeforeAll
  static void startCluster() {
    startCluster(MultiProcessClusterAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
