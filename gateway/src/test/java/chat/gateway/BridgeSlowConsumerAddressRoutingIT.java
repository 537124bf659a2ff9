package chat.gateway;

import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.RunsWith;

/** Every test of {@link BridgeSlowConsumerIT} with {@code BUS_ROUTING=address}: one bus consumer per registered address. */
@RunsWith(BusRouting.ADDRESS)
class BridgeSlowConsumerAddressRoutingIT extends BridgeSlowConsumerIT {}
