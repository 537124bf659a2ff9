package chat.shared.protocol;

import chat.shared.ChatException;
import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;
import chat.shared.bus.Topic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What gateways serve on the bus for other services, and the events they consume for browsers. */
public final class Gateway {
  private Gateway() {}

  /**
   * The revocation endpoint of the gateways in one Vert.x node: messaging asks every node after a member
   * removal committed, and answers the removal once each has confirmed (a node without a gateway has no
   * handler). The reply means that no socket of the user on that node receives the thread any more.
   */
  public static Endpoint<Revoke, Ok> revoke(String nodeId) {
    return Endpoint.of(Addresses.gatewayRevoke(nodeId), Revoke.class, Ok.class);
  }

  /**
   * {@code userId} is no longer a member of {@code threadId}. {@code deadlineMs} (epoch ms) is when the
   * remover stops waiting: a gateway that handles the request later closes the user's sockets instead,
   * since events of the thread may have reached them in between.
   */
  public record Revoke(String threadId, String userId, long deadlineMs) {
    public Revoke {
      threadId = Requests.threadId(threadId, "threadId");
      userId = Requests.userId(userId, "userId");
    }
  }

  /** Events for browsers, published to every gateway instance ({@link chat.shared.bus.BrowserEvents}). */
  public static final Topic<Delivery> EVENTS = Topic.of(Addresses.GATEWAY_EVENTS, Delivery.class);

  /**
   * One event for the sockets registered on any of {@code to}: {@code chat.thread.<id>} and
   * {@code chat.user.<id>} addresses, each written once, with the event in its {@code rec} frame exactly
   * as if it had been published to that address. Mapped by hand ({@link #toJson}, {@link #from}), not by
   * {@code Bodies}: the event is already a JSON object, and every gateway instance decodes every delivery.
   */
  public record Delivery(List<String> to, JsonObject event) {
    public Delivery {
      if (to == null || to.isEmpty() || event == null) {
        throw Requests.invalid("A delivery names its addresses and its event");
      }
      for (String address : to) {
        if (address == null || !(address.startsWith(Addresses.THREAD_PREFIX) || address.startsWith(Addresses.USER_PREFIX))) {
          throw Requests.invalid("'to' names only chat.thread.<id> and chat.user.<id> addresses");
        }
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("to", new JsonArray(new ArrayList<Object>(to))).put("event", event);
    }

    /** The delivery in a body; a malformed one is a {@link ChatException} ({@code invalid_request}). */
    public static Delivery from(Object body) {
      if (!(body instanceof JsonObject json) || !(json.getValue("to") instanceof JsonArray to)
          || !(json.getValue("event") instanceof JsonObject event)) {
        throw Requests.invalid("A delivery is {to: [addresses], event: {...}}");
      }
      List<String> addresses = new ArrayList<>(to.size());
      for (Object address : to) {
        if (!(address instanceof String s)) {
          throw Requests.invalid("'to' holds addresses");
        }
        addresses.add(s);
      }
      return new Delivery(addresses, event);
    }
  }
}
