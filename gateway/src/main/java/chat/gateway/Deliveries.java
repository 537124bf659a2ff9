package chat.gateway;

import chat.shared.ChatException;
import chat.shared.bus.Addresses;
import chat.shared.config.ChatConfig.BusRouting;
import chat.shared.model.Events;
import chat.shared.protocol.Gateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side of one bridge instance: for every address at least one of its sockets registered,
 * the set of those sockets. An event of an address is turned into its bridge frame once and that same
 * buffer is written to every socket in the set. A thread's event reaches a socket only while its
 * connection is a verified member of the thread ({@link #mayReceive}, a set lookup), so a member removal
 * takes effect at once; a message event on a user's address of a thread they were just removed from is
 * held back ({@link #heldBack}).
 *
 * <p>How events arrive depends on {@code BUS_ROUTING} (docs/scale.md):
 * <ul>
 *   <li>{@code node} (and {@code dual}): one consumer of {@link Gateway#EVENTS} for the instance; each
 *       delivery names its addresses, and those this instance holds are written. Registering and
 *       unregistering a socket are map operations only, nothing cluster-wide.
 *   <li>{@code address}: one bus consumer per address, registered when the first socket needs it and
 *       unregistered by the last one out.
 * </ul>
 * Either consumer is registered on the instance's context, so an event is written to the instance's
 * sockets on their own event loop, without a hop between threads.
 */
final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private final Vertx vertx;
  private final boolean perAddress;
  private final Revocations revocations;
  private final AttachmentLinks links;
  /** Changed under this object's lock; read without it by deliveries. */
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final MessageConsumer<Object> nodeConsumer;

  /** Call on the instance's context: the node consumer, if any, is registered there. */
  Deliveries(Vertx vertx, BusRouting routing, Revocations revocations, AttachmentLinks links) {
    this.vertx = vertx;
    this.perAddress = routing.consumesPerAddress();
    this.revocations = revocations;
    this.links = links;
    this.nodeConsumer = perAddress ? null : vertx.eventBus().consumer(Gateway.EVENTS.address(), this::deliver);
  }

  /** Completes once the instance's node consumer is registered cluster-wide (at once in address routing). */
  Future<Void> ready() {
    return nodeConsumer == null ? Future.succeededFuture() : nodeConsumer.completion();
  }

  /** The socket receives the address's events from now on (idempotent). */
  synchronized void add(String address, BridgeTransport socket) {
    routes.computeIfAbsent(address, this::route).sockets.add(socket);
  }

  /** The socket no longer receives the address's events; the last one out removes the route (and its consumer). */
  synchronized void remove(String address, BridgeTransport socket) {
    Route route = routes.get(address);
    if (route == null || !route.sockets.remove(socket) || !route.sockets.isEmpty()) {
      return;
    }
    routes.remove(address);
    if (route.consumer != null) {
      route.consumer.unregister();
    }
  }

  /** Unregisters every consumer (the instance is stopping). */
  synchronized Future<Void> close() {
    List<Future<Void>> done = new ArrayList<>();
    routes.values().stream().filter(r -> r.consumer != null).forEach(r -> done.add(r.consumer.unregister()));
    routes.clear();
    if (nodeConsumer != null) {
      done.add(nodeConsumer.unregister());
    }
    return Future.join(done).mapEmpty();
  }

  private Route route(String address) {
    Route route = new Route(threadOf(address));
    if (perAddress) {
      route.consumer = vertx.eventBus().consumer(address, msg -> deliver(address, route,
          msg.body() instanceof JsonObject json ? links.signed(json) : msg.body(), msg.headers()));
    }
    return route;
  }

  /** A delivery of node routing: each named address this instance holds gets the event, its links signed once. */
  private void deliver(Message<Object> msg) {
    Gateway.Delivery delivery;
    try {
      delivery = Gateway.Delivery.from(msg.body());
    } catch (ChatException e) {
      LOG.warn("Dropped a malformed {} delivery: {}", Gateway.EVENTS.address(), e.getMessage());
      return;
    }
    JsonObject signed = null;
    for (String address : delivery.to()) {
      Route route = routes.get(address);
      if (route != null) {
        signed = signed == null ? links.signed(delivery.event()) : signed;
        deliver(address, route, signed, NO_HEADERS);
      }
    }
  }

  private void deliver(String address, Route route, Object body, MultiMap headers) {
    if (route.threadId == null && body instanceof JsonObject event && heldBack(address, event)) {
      return;
    }
    Buffer frame = null;
    for (BridgeTransport socket : route.sockets) {
      if (mayReceive(socket.connection(), route.threadId)) {
        frame = frame == null ? frame(address, body, headers) : frame;
        socket.write(frame);
      }
    }
  }

  /**
   * Whether an event on a user's own address stays back: a {@code message:new}, {@code message:updated} or
   * {@code message:deleted} of a thread they were just removed from (see {@link Revocations}). A {@code thread:added} lets that thread's messages through again.
   */
  private boolean heldBack(String address, JsonObject event) {
    String userId = address.substring(Addresses.USER_PREFIX.length());
    Object type = event.getValue("type");
    if (Events.THREAD_ADDED.equals(type) && event.getValue("thread") instanceof JsonObject thread
        && thread.getValue("id") instanceof String threadId) {
      revocations.readded(userId, threadId);
      return false;
    }
    boolean message = Events.MESSAGE_NEW.equals(type) || Events.MESSAGE_UPDATED.equals(type)
        || Events.MESSAGE_DELETED.equals(type);
    return message && event.getValue("threadId") instanceof String threadId && revocations.holdsBack(userId, threadId);
  }

  /** The bridge's {@code rec} frame of an event on {@code address}, encoded once for all the address's sockets. */
  static Buffer frame(String address, Object body, MultiMap headers) {
    JsonObject frame = new JsonObject().put("type", "rec").put("address", address).put("body", body);
    if (!headers.isEmpty()) {
      JsonObject json = new JsonObject();
      for (String name : headers.names()) {
        List<String> values = headers.getAll(name);
        json.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.put("headers", json);
    }
    return frame.toBuffer();
  }

  /** The thread id of a {@code chat.thread.<id>} address; null for any other address. */
  static String threadOf(String address) {
    return address.startsWith(Addresses.THREAD_PREFIX) ? address.substring(Addresses.THREAD_PREFIX.length()) : null;
  }

  /**
   * Whether a connection receives an event of a registered address: a thread's ({@code threadId} not
   * null) only while it is a verified member; its own user address always (the guard lets it register
   * nothing else).
   */
  static boolean mayReceive(Connection connection, String threadId) {
    return threadId == null || connection.isMemberOf(threadId);
  }

  private static final class Route {
    final String threadId;
    final Set<BridgeTransport> sockets = ConcurrentHashMap.newKeySet();
    /** Address routing only. */
    MessageConsumer<Object> consumer;

    Route(String threadId) {
      this.threadId = threadId;
    }
  }
}
