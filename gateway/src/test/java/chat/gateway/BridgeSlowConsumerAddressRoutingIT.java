package chat.gateway;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** {@link BridgeSlowConsumerIT} with {@code BUS_ROUTING=address}. */
class BridgeSlowConsumerAddressRoutingIT extends BridgeSlowConsumerIT {
  @BeforeAll
  static void start() {
    start(BridgeSlowConsumerAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
