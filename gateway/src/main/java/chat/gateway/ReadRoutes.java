package chat.gateway;

import chat.shared.bus.Bodies;
import chat.shared.protocol.Unread;
import chat.shared.protocol.Unread.BadgeOf;
import chat.shared.protocol.Unread.MarkRead;
import chat.shared.protocol.Unread.ReceiptsOf;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/threads/:id/read}, {@code GET /api/threads/unread},
 * {@code GET /api/threads/:id/receipts}: read markers, badges and "Seen by".
 */
public record ReadRoutes(TimedBus bus, ReadMarker marker) {
  public void read(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    MarkRead request = ClientBodies.stamped(MarkRead.class, JsonBodies.optionalObject(rc), caller.userId(), rc.pathParam("id"));
    marker.markRead(request)
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject().put("ok", true).mergeIn(r)))
        .onFailure(rc::fail);
  }

  public void unread(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Unread.BADGE, new BadgeOf(caller.userId()))
        .onSuccess(badge -> JsonBodies.send(rc, 200, Bodies.encode(badge)))
        .onFailure(rc::fail);
  }

  public void receipts(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Unread.RECEIPTS, new ReceiptsOf(caller.userId(), rc.pathParam("id")))
        .onSuccess(list -> JsonBodies.send(rc, 200, Bodies.encode(list)))
        .onFailure(rc::fail);
  }
}
