package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.Addresses;
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
import chat.shared.protocol.Messaging.Role;
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
 * then {@code thread:removed} goes to the member's user address; it is also published on
 * {@link Messaging#MEMBER_REMOVED} for presence. Services are told both
 * ({@link ApiV1#MEMBER_ADDED}, {@link ApiV1#MEMBER_REMOVED}).
 */
final class MemberHandler {
  private final Vertx vertx;
  private final MessageStore store;
  private final int maxMembers;
  private final Counter threadAdded = ChatMetrics.eventsPublished(Events.THREAD_ADDED);
  private final Counter memberRemoved = ChatMetrics.eventsPublished("member-removed");
  private final Bus gateways;
  private final long revokeTimeoutMs;

  /** {@code revokeTimeoutMs}: how long a removal waits for the gateways (well inside the caller's bus timeout). */
  MemberHandler(Vertx vertx, MessageStore store, int maxMembers, long revokeTimeoutMs) {
    this.vertx = vertx;
    this.store = store;
    this.maxMembers = maxMembers;
    this.revokeTimeoutMs = revokeTimeoutMs;
    this.gateways = new Bus(vertx, revokeTimeoutMs);
  }

  Future<MemberAdded> add(ChangeMember req) {
    return store.addMember(req.userId(), req.threadId(), req.memberId(), maxMembers).map(added -> {
      if (added.added()) {
        Bus.publish(vertx, ApiV1.MEMBER_ADDED, new ApiV1.MemberAdded(req.threadId(), req.memberId(), Member.MEMBER));
      }
      if (added.added() && added.memberView() != null) {
        vertx.eventBus().publish(Addresses.user(req.memberId()), Events.threadAdded(added.memberView()));
        threadAdded.increment();
      }
      return new MemberAdded(added.added(), added.callerView() != null ? added.callerView() : added.memberView());
    });
  }

  Future<MemberRemoval> remove(ChangeMember req) {
    return store.removeMember(req.userId(), req.threadId(), req.memberId()).compose(removed -> {
      if (!removed) {
        return Future.succeededFuture(new MemberRemoval(false));
      }
      Bus.publish(vertx, Messaging.MEMBER_REMOVED, new MemberRemoved(req.threadId(), req.memberId()));
      Bus.publish(vertx, ApiV1.MEMBER_REMOVED, new ApiV1.MemberRemoved(req.threadId(), req.memberId()));
      memberRemoved.increment();
      return revokeEverywhere(req.threadId(), req.memberId()).map(v -> {
        vertx.eventBus().publish(Addresses.user(req.memberId()), Events.threadRemoved(req.threadId()));
        return new MemberRemoval(true);
      });
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
