package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Member;
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
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@link Messaging#MEMBER_ADD} (at most {@code MAX_THREAD_MEMBERS} per thread), {@link Messaging#MEMBER_REMOVE},
 * {@link Messaging#MEMBER_LIST} and {@link Messaging#MEMBER_CHECK}.
 * A newly added member gets {@code thread:added} on their user address; a removal is published on
 * {@link Messaging#MEMBER_REMOVED} so gateways drop the member's registrations. Services are told both
 * ({@link ApiV1#MEMBER_ADDED}, {@link ApiV1#MEMBER_REMOVED}).
 */
final class MemberHandler {
  private final Vertx vertx;
  private final MessageStore store;
  private final int maxMembers;
  private final Counter threadAdded = ChatMetrics.eventsPublished(Events.THREAD_ADDED);
  private final Counter memberRemoved = ChatMetrics.eventsPublished("member-removed");

  MemberHandler(Vertx vertx, MessageStore store, int maxMembers) {
    this.vertx = vertx;
    this.store = store;
    this.maxMembers = maxMembers;
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
    return store.removeMember(req.userId(), req.threadId(), req.memberId()).map(removed -> {
      if (removed) {
        Bus.publish(vertx, Messaging.MEMBER_REMOVED, new MemberRemoved(req.threadId(), req.memberId()));
        Bus.publish(vertx, ApiV1.MEMBER_REMOVED, new ApiV1.MemberRemoved(req.threadId(), req.memberId()));
        memberRemoved.increment();
      }
      return new MemberRemoval(removed);
    });
  }

  Future<MemberPage> list(ListMembers req) {
    return store.members(req.threadId(), req.userId(), req.pageSize(), req.after());
  }

  Future<Role> check(CheckMember req) {
    return store.memberRole(req.threadId(), req.userId()).map(Role::new);
  }
}
