package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/threads/:id/read}, {@code GET /api/threads/unread},
 * {@code GET /api/threads/:id/receipts}: read markers, badges and "Seen by".
 */
public final class ReadRoutes {
  private final TimedBus bus;
  private final ReadMarker marker;

  public ReadRoutes(TimedBus bus, ReadMarker marker) {
    this.bus = bus;
    this.marker = marker;
  }

  public void read(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    marker.markRead(caller.userId(), threadId, JsonBodies.optionalObject(rc))
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject().put("ok", true).mergeIn(r)))
        .onFailure(rc::fail);
  }

  public void unread(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Addresses.UNREAD_BADGE, new JsonObject().put("userId", caller.userId()))
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject()
            .put("byThread", r.getJsonArray("byThread", new JsonArray()))
            .put("total", r.getValue("total", 0))))
        .onFailure(rc::fail);
  }

  public void receipts(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    bus.request(Addresses.UNREAD_RECEIPTS, new JsonObject().put("userId", caller.userId()).put("threadId", threadId))
        .onSuccess(r -> JsonBodies.send(rc, 200,
            new JsonObject().put("receipts", r.getJsonArray("receipts", new JsonArray()))))
        .onFailure(rc::fail);
  }
}
