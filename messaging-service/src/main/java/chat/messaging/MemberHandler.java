package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Member;
import chat.shared.protocol.Gateway;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.ChangeMember;
import chat.shared.protocol.Messaging.CheckMember;
import chat.shared.protocol.Messaging.ListMembers;
import chat.shared.protocol.Messaging.MemberPage;
import chat.shared.protocol.Messaging.MemberAdded;
import chat.shared.protocol.Messaging.MemberRemoval;
import chat.shared.protocol.Messaging.MemberRemoved;
import chat.shared.protocol.Messaging.MuteSet;
import chat.shared.protocol.Messaging.Role;
import chat.shared.protocol.Messaging.ChangeRole;
import chat.shared.protocol.Messaging.RoleChanged;
import chat.shared.protocol.Messaging.SetMute;
import chat.shared.runtime.ChatMetrics;
import chat.shared.runtime.ClusterNode;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * {@link Messaging#MEMBER_ADD} (at most {@code MAX_THREAD_MEMBERS} per thread), {@link Messaging#MEMBER_REMOVE},
 * {@link Messaging#MEMBER_LIST} and {@link Messaging#MEMBER_CHECK}.
 * A newly added member gets {@code thread:added} on their user address. A removal is answered only
 * after the gateways of every cluster node confirmed that none of the member's sockets receives the
 * thread any more ({@link Gateway#revoke}; a gateway that confirms too late closes the member's sockets),
 * then {@code thread:removed} goes to the member's user address and {@code member:removed} to the thread's
 * (an add sends {@code member:added} there); it is also published on {@link Messaging#MEMBER_REMOVED} for
 * presence. When the last admin leaves, the longest-standing member becomes admin ({@code member:updated}).
 * Also {@link Messaging#MEMBER_ROLE} and {@link Messaging#THREAD_MUTE}. Services are told of each
 * ({@link ApiV1#MEMBER_ADDED}, {@link ApiV1#MEMBER_REMOVED}, {@link ApiV1#MEMBER_ROLE_CHANGED},
 * {@link ApiV1#MEMBER_MUTED}).
 */
final class MemberHandler {
  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final MessageStore store;
  private final int maxMembers;
  private final Counter threadAdded = ChatMetrics.eventsPublished(Events.THREAD_ADDED);
  private final Counter memberRemoved = ChatMetrics.eventsPublished("member-removed");
  private final Bus gateways;
  private final long revokeTimeoutMs;

  /** {@code revokeTimeoutMs}: how long a removal waits for the gateways (well inside the caller's bus timeout). */
  MemberHandler(Vertx vertx, BrowserEvents browsers, MessageStore store, int maxMembers, long revokeTimeoutMs) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
    this.maxMembers = maxMembers;
    this.revokeTimeoutMs = revokeTimeoutMs;
    this.gateways = new Bus(vertx, revokeTimeoutMs);
  }

  Future<MemberAdded> add(ChangeMember req) {
    return store.addMember(req.userId(), req.threadId(), req.memberId(), maxMembers).map(added -> {
      if (added.added()) {
        browsers.toThread(req.threadId(), Events.memberAdded(req.threadId(), req.memberId(), Member.MEMBER));
        Bus.publish(vertx, ApiV1.MEMBER_ADDED, new ApiV1.MemberAdded(req.threadId(), req.memberId(), Member.MEMBER));
      }
      if (added.added() && added.memberView() != null) {
        browsers.toUser(req.memberId(), Events.threadAdded(added.memberView()));
        threadAdded.increment();
      }
      return new MemberAdded(added.added(), added.callerView() != null ? added.callerView() : added.memberView());
    });
  }

  Future<MemberRemoval> remove(ChangeMember req) {
    return store.removeMember(req.userId(), req.threadId(), req.memberId()).compose(removal -> {
      if (!removal.removed()) {
        return Future.succeededFuture(new MemberRemoval(false));
      }
      Bus.publish(vertx, Messaging.MEMBER_REMOVED, new MemberRemoved(req.threadId(), req.memberId()));
      Bus.publish(vertx, ApiV1.MEMBER_REMOVED, new ApiV1.MemberRemoved(req.threadId(), req.memberId()));
      memberRemoved.increment();
      if (removal.promoted() != null) {
        roleChanged(req.threadId(), removal.promoted(), Member.ADMIN);
      }
      return revokeEverywhere(req.threadId(), req.memberId()).map(v -> {
        browsers.toUser(req.memberId(), Events.threadRemoved(req.threadId()));
        browsers.toThread(req.threadId(), Events.memberRemoved(req.threadId(), req.memberId()));
        return new MemberRemoval(true, removal.promoted());
      });
    });
  }

  /** An admin changes a member's role: {@code member:updated} on the thread's address when it changed. */
  Future<RoleChanged> changeRole(ChangeRole req) {
    return store.changeRole(req.userId(), req.threadId(), req.memberId(), req.role()).map(changed -> {
      if (changed) {
        roleChanged(req.threadId(), req.memberId(), req.role());
      }
      return new RoleChanged(req.memberId(), req.role(), changed);
    });
  }

  private void roleChanged(String threadId, String userId, String role) {
    browsers.toThread(threadId, Events.memberUpdated(threadId, userId, role));
    Bus.publish(vertx, ApiV1.MEMBER_ROLE_CHANGED, new ApiV1.MemberRoleChanged(threadId, userId, role));
  }

  /**
   * A member's own mute: {@code thread:updated} with their view goes to their user address only (their
   * other devices), as the setting is nobody else's business; services are told for notifications.
   */
  Future<MuteSet> mute(SetMute req) {
    return store.setMute(req.userId(), req.threadId(), req.muted()).map(view -> {
      browsers.toUser(req.userId(), Events.threadUpdated(view));
      Bus.publish(vertx, ApiV1.MEMBER_MUTED, new ApiV1.MemberMuted(req.threadId(), req.userId(), req.muted()));
      return new MuteSet(view.muted());
    });
  }

  /**
   * Asks the gateways of every cluster node to revoke, and completes when each has answered or failed:
   * no handler means no gateway there; a timeout means that node handles the request late and then
   * closes the member's sockets (the deadline travels with the request).
   */
  private Future<Void> revokeEverywhere(String threadId, String userId) {
    Gateway.Revoke revoke = new Gateway.Revoke(threadId, userId, System.currentTimeMillis() + revokeTimeoutMs);
    List<Future<?>> acks = ClusterNode.members(vertx).stream()
        .<Future<?>>map(node -> gateways.request(Gateway.revoke(node), revoke))
        .toList();
    return Future.join(acks).<Void>mapEmpty().otherwiseEmpty();
  }

  Future<MemberPage> list(ListMembers req) {
    return store.members(req.threadId(), req.userId(), req.pageSize(), req.after());
  }

  Future<Role> check(CheckMember req) {
    return store.memberRole(req.threadId(), req.userId()).map(Role::new);
  }
}
