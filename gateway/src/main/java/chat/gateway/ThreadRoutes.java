package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST/GET /api/threads}, {@code POST /api/threads/:id/members},
 * {@code DELETE /api/threads/:id/members/:userId}: decode, validate, call messaging, encode.
 */
public final class ThreadRoutes {

  private final TimedBus bus;

  public ThreadRoutes(TimedBus bus) {
    this.bus = bus;
  }

  public void create(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    JsonObject body = JsonBodies.object(rc);
    JsonObject request = new JsonObject()
        .put("userId", caller.userId())
        .put("title", Requests.title(body, "title"))
        .put("memberIds", new JsonArray(Requests.userIds(body, "memberIds")));
    bus.request(Addresses.THREAD_CREATE, request)
        .onSuccess(thread -> JsonBodies.send(rc, 201, thread))
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Addresses.THREAD_LIST, new JsonObject().put("userId", caller.userId()))
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject().put("threads", r.getJsonArray("threads", new JsonArray()))))
        .onFailure(rc::fail);
  }

  public void addMember(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    String memberId = Requests.requireUserId(JsonBodies.object(rc), "userId");
    bus.request(Addresses.MEMBER_ADD, new JsonObject()
            .put("userId", caller.userId()).put("threadId", threadId).put("memberId", memberId))
        .onSuccess(r -> JsonBodies.send(rc, r.getBoolean("added", false) ? 201 : 200,
            r.getJsonObject("thread") == null ? new JsonObject() : r.getJsonObject("thread")))
        .onFailure(rc::fail);
  }

  public void removeMember(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    String memberId = rc.pathParam("userId");
    if (!Requests.isUserId(memberId)) {
      throw Requests.invalid("Not a valid user id");
    }
    bus.request(Addresses.MEMBER_REMOVE, new JsonObject()
            .put("userId", caller.userId()).put("threadId", threadId).put("memberId", memberId))
        .onSuccess(r -> JsonBodies.noContent(rc))
        .onFailure(rc::fail);
  }
}
