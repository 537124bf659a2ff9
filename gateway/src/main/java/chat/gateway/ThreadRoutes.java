package chat.gateway;

import chat.shared.bus.Bodies;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.ChangeMember;
import chat.shared.protocol.Messaging.CreateThread;
import chat.shared.protocol.Messaging.ListMembers;
import chat.shared.protocol.Messaging.ListThreads;
import chat.shared.protocol.Messaging.ChangeRole;
import chat.shared.protocol.Messaging.RenameThread;
import chat.shared.protocol.Messaging.SetMute;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST/GET /api/threads} (paged), {@code PATCH /api/threads/:id} (rename), {@code PUT /api/threads/:id/mute},
 * {@code GET/POST /api/threads/:id/members} (paged, admins first), {@code PATCH/DELETE /api/threads/:id/members/:userId}
 * (role, removal): decode, call messaging, encode.
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
    ListThreads request = new ListThreads(caller.userId(), MessageRoutes.seqParam(rc, "limit"),
        MessageRoutes.oneParam(rc, "cursor"));
    bus.request(Messaging.THREAD_LIST, request)
        .onSuccess(r -> JsonBodies.send(rc, 200, Bodies.encode(r)))
        .onFailure(rc::fail);
  }

  public void rename(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    RenameThread request = ClientBodies.stamped(RenameThread.class, JsonBodies.object(rc), caller.userId(),
        rc.pathParam("id"));
    bus.request(Messaging.THREAD_RENAME, request)
        .onSuccess(thread -> JsonBodies.send(rc, 200, Bodies.encode(thread)))
        .onFailure(rc::fail);
  }

  public void changeRole(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    JsonObject body = JsonBodies.object(rc).copy().put("memberId", rc.pathParam("userId"));
    ChangeRole request = ClientBodies.stamped(ChangeRole.class, body, caller.userId(), rc.pathParam("id"));
    bus.request(Messaging.MEMBER_ROLE, request)
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject().put("userId", r.userId()).put("role", r.role())))
        .onFailure(rc::fail);
  }

  public void mute(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    SetMute request = ClientBodies.stamped(SetMute.class, JsonBodies.object(rc), caller.userId(), rc.pathParam("id"));
    bus.request(Messaging.THREAD_MUTE, request)
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
