package chat.gateway;

import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outbound side of one bridge instance: for every address at least one of its sockets registered,
 * a single event-bus consumer and the set of those sockets. An event is turned into its bridge frame
 * once and that same buffer is
 * written to every socket in the set. A thread's event reaches a socket only while its connection is a
 * verified member of the thread ({@link #mayReceive}, a set lookup), so a member removal takes effect at once.
 *
 * <p>The consumer is registered on the context of the socket that first needed it, which is the
 * instance's event loop, so an event is written to the instance's sockets without a hop between threads.
 * The consumer goes when the last socket leaves the address.
 */
final class Deliveries {
  private final Vertx vertx;
  private final Revocations revocations;
  private final AttachmentLinks links;
  private final Map<String, Route> routes = new HashMap<>();

  Deliveries(Vertx vertx, Revocations revocations, AttachmentLinks links) {
    this.vertx = vertx;
    this.revocations = revocations;
    this.links = links;
  }

  /** The socket receives the address's events from now on (idempotent). */
  synchronized void add(String address, BridgeTransport socket) {
    routes.computeIfAbsent(address, this::route).sockets.add(socket);
  }

  /** The socket no longer receives the address's events; the last one out unregisters the consumer. */
  synchronized void remove(String address, BridgeTransport socket) {
    Route route = routes.get(address);
    if (route == null || !route.sockets.remove(socket) || !route.sockets.isEmpty()) {
      return;
    }
    routes.remove(address);
    route.consumer.unregister();
  }

  /** Unregisters every consumer (the instance is stopping). */
  synchronized Future<Void> close() {
    List<Future<Void>> done = new ArrayList<>();
    routes.values().forEach(r -> done.add(r.consumer.unregister()));
    routes.clear();
    return Future.join(done).mapEmpty();
  }

  private Route route(String address) {
    Route route = new Route(threadOf(address));
    route.consumer = vertx.eventBus().consumer(address, msg -> deliver(address, route, msg));
    return route;
  }

  private void deliver(String address, Route route, Message<Object> msg) {
    if (route.threadId == null && msg.body() instanceof JsonObject event && heldBack(address, event)) {
      return;
    }
    Buffer frame = frame(address, msg, links);
    for (BridgeTransport socket : route.sockets) {
      if (mayReceive(socket.connection(), route.threadId)) {
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

  /** The bridge's {@code rec} frame for the message, encoded once for all the address's sockets. */
  static Buffer frame(String address, Message<Object> msg, AttachmentLinks links) {
    // Attachment links are signed here, as the event leaves for the browsers (messaging never stores one).
    Object body = msg.body() instanceof JsonObject json ? links.signed(json) : msg.body();
    JsonObject frame = new JsonObject().put("type", "rec").put("address", address).put("body", body);
    if (!msg.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      for (String name : msg.headers().names()) {
        List<String> values = msg.headers().getAll(name);
        headers.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.put("headers", headers);
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
    MessageConsumer<Object> consumer;

    Route(String threadId) {
      this.threadId = threadId;
    }
  }
}
