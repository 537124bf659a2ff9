package chat.system.cluster;

import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.RunsWith;

/** Every test of {@link ClusterEventBusIT} with {@code BUS_ROUTING=address}: one bus consumer per registered address. */
@RunsWith(BusRouting.ADDRESS)
class ClusterEventBusAddressRoutingIT extends ClusterEventBusIT {}
