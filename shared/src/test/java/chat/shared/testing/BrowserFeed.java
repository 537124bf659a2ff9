package chat.shared.testing;

import chat.shared.bus.Addresses;
import chat.shared.protocol.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a browser registered on one address would be sent, as a consumer on the bus sees them,
 * whatever {@code BUS_ROUTING} the publishers use: events published to the address itself and deliveries on
 * {@link Gateway#EVENTS} that name it. A publisher uses one of the two (except in {@code dual}), so each event
 * arrives once. Other addresses are consumed as they are.
 */
public final class BrowserFeed implements AutoCloseable {
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  private BrowserFeed(Vertx vertx, String address, Handler<JsonObject> handler) {
    consumers.add(vertx.eventBus().consumer(address, m -> handler.handle((JsonObject) m.body())));
    if (address.startsWith(Addresses.THREAD_PREFIX) || address.startsWith(Addresses.USER_PREFIX)) {
      consumers.add(vertx.eventBus().consumer(Gateway.EVENTS.address(), m -> {
        Gateway.Delivery delivery = Gateway.Delivery.from(m.body());
        if (delivery.to().contains(address)) {
          handler.handle(delivery.event());
        }
      }));
    }
    Await.result(Future.all(consumers.stream().map(MessageConsumer::completion).toList()));
  }

  /** Consumes from now on (registered when this returns). */
  public static BrowserFeed open(Vertx vertx, String address, Handler<JsonObject> handler) {
    return new BrowserFeed(vertx, address, handler);
  }

  @Override
  public void close() {
    Await.result(Future.all(consumers.stream().map(MessageConsumer::unregister).toList()));
  }
}
