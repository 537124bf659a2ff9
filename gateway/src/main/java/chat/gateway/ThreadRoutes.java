package chat.gateway;

import chat.shared.bus.Bodies;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.ChangeMember;
import chat.shared.protocol.Messaging.CreateThread;
import chat.shared.protocol.Messaging.ListMembers;
import chat.shared.protocol.Messaging.ListThreads;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST/GET /api/threads}, {@code GET/POST /api/threads/:id/members} (paged, admins first),
 * {@code DELETE /api/threads/:id/members/:userId}: decode, call messaging, encode.
 */
public final class ThreadRoutes {

  private final TimedBus bus;

  public ThreadRoutes(TimedBus bus) {
    this.bus = bus;
  }

  public void create(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    CreateThread request = ClientBodies.stamped(CreateThread.class, JsonBodies.object(rc), caller.userId(), null);
    bus.request(Messaging.THREAD_CREATE, request)
        .onSuccess(thread -> JsonBodies.send(rc, 201, Bodies.encode(thread)))
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Messaging.THREAD_LIST, new ListThreads(caller.userId(), null))
        .onSuccess(r -> JsonBodies.send(rc, 200, Bodies.encode(r)))
        .onFailure(rc::fail);
  }

  public void addMember(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = rc.pathParam("id");
    ClientBodies.MemberRef member = Bodies.decode(JsonBodies.object(rc), ClientBodies.MemberRef.class);
    bus.request(Messaging.MEMBER_ADD, new ChangeMember(caller.userId(), threadId, member.userId()))
        .onSuccess(r -> JsonBodies.send(rc, r.added() ? 201 : 200,
            r.thread() == null ? new JsonObject() : Bodies.encode(r.thread())))
        .onFailure(rc::fail);
  }

  public void members(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    ListMembers request = new ListMembers(caller.userId(), rc.pathParam("id"),
        MessageRoutes.seqParam(rc, "limit"), MessageRoutes.oneParam(rc, "cursor"));
    bus.request(Messaging.MEMBER_LIST, request)
        .onSuccess(page -> JsonBodies.send(rc, 200, Bodies.encode(page)))
        .onFailure(rc::fail);
  }

  public void removeMember(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    bus.request(Messaging.MEMBER_REMOVE, new ChangeMember(caller.userId(), rc.pathParam("id"), rc.pathParam("userId")))
        .onSuccess(r -> JsonBodies.noContent(rc))
        .onFailure(rc::fail);
  }
}
