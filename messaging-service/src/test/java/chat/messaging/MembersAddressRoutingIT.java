package chat.messaging;

import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.testing.RunsWith;

/** Every test of {@link MembersIT} with {@code BUS_ROUTING=address}: one bus consumer per registered address. */
@RunsWith(BusRouting.ADDRESS)
class MembersAddressRoutingIT extends MembersIT {}
