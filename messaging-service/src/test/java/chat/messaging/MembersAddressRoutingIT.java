package chat.messaging;

import chat.shared.config.ChatConfig.BusRouting;
import org.junit.jupiter.api.BeforeAll;

/** {@link MembersIT} with {@code BUS_ROUTING=address}: member events go to each address on its own. */
class MembersAddressRoutingIT extends MembersIT {
  @BeforeAll
  static void start() {
    start(MembersAddressRoutingIT.class, BusRouting.ADDRESS);
  }
}
