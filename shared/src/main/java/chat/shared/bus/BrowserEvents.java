package chat.shared.bus;

import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.protocol.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one way services send an event to browsers, on {@code chat.thread.<id>} and {@code chat.user.<id>}
 * addresses, as {@code BUS_ROUTING} says: with {@link BusRouting#NODE} one publish to
 * {@link Gateway#EVENTS} names every address the event is for (a {@code message:new} for a thread and its
 * members is one bus message to each gateway instance, whatever the number of members); with
 * {@link BusRouting#ADDRESS} one publish per address; with {@link BusRouting#DUAL} both, for a rolling
 * upgrade from gateways that consume per address (docs/scale.md).
 *
 * <p>Events of one publisher reach each gateway in the order they were published, in every mode (one
 * sender, one connection per pair of nodes).
 */
public final class BrowserEvents {
  private final Vertx vertx;
  private final BusRouting routing;

  public BrowserEvents(Vertx vertx, BusRouting routing) {
    this.vertx = vertx;
    this.routing = routing;
  }

  /** The event for the thread's address. */
  public void toThread(String threadId, JsonObject event) {
    publish(event, List.of(Addresses.thread(threadId)));
  }

  /** The event for one user's address. */
  public void toUser(String userId, JsonObject event) {
    publish(event, List.of(Addresses.user(userId)));
  }

  /** The event for each user's address. */
  public void toUsers(Collection<String> userIds, JsonObject event) {
    publish(event, users(new ArrayList<>(userIds.size()), userIds));
  }

  /** The event for the thread's address and each user's. */
  public void toThreadAndUsers(String threadId, Collection<String> userIds, JsonObject event) {
    List<String> addresses = new ArrayList<>(userIds.size() + 1);
    addresses.add(Addresses.thread(threadId));
    publish(event, users(addresses, userIds));
  }

  /** The event for every address in {@code addresses} (none: nothing is sent). */
  public void publish(JsonObject event, List<String> addresses) {
    if (addresses.isEmpty()) {
      return;
    }
    if (routing.publishesToNodes()) {
      vertx.eventBus().publish(Gateway.EVENTS.address(), new Gateway.Delivery(addresses, event).toJson());
    }
    if (routing.publishesPerAddress()) {
      for (String address : addresses) {
        vertx.eventBus().publish(address, event);
      }
    }
  }

  private static List<String> users(List<String> addresses, Collection<String> userIds) {
    for (String userId : userIds) {
      addresses.add(Addresses.user(userId));
    }
    return addresses;
  }
}
