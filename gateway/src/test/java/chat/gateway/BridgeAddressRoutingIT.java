package chat.gateway;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link BridgeIT} with {@code BUS_ROUTING=address}: one bus consumer per registered address. */
class BridgeAddressRoutingIT extends BridgeIT {
  @BeforeAll
  static void start() {
    start(BridgeAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
