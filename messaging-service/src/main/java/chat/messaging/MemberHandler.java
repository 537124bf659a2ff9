package chat.messaging;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#MEMBER_ADD}, {@link Addresses#MEMBER_REMOVE} and {@link Addresses#MEMBER_CHECK}.
 * A newly added member gets {@code thread:added} on their user address; a removal is published on
 * {@link Addresses#EVENT_MEMBER_REMOVED} so gateways drop the member's registrations.
 */
final class MemberHandler {
  private final Vertx vertx;
  private final MessageStore store;
  private final Counter threadAdded = ChatMetrics.eventsPublished(Events.THREAD_ADDED);
  private final Counter memberRemoved = ChatMetrics.eventsPublished("member-removed");

  MemberHandler(Vertx vertx, MessageStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  Future<JsonObject> add(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String threadId = Requests.requireThreadId(req, "threadId");
    String memberId = Requests.requireUserId(req, "memberId");
    return store.addMember(userId, threadId, memberId).map(added -> {
      if (added.added() && added.memberView() != null) {
        vertx.eventBus().publish(Addresses.user(memberId), Events.threadAdded(added.memberView()));
        threadAdded.increment();
      }
      var view = added.callerView() != null ? added.callerView() : added.memberView();
      return new JsonObject().put("added", added.added()).put("thread", view == null ? null : view.toJson());
    });
  }

  Future<JsonObject> remove(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String threadId = Requests.requireThreadId(req, "threadId");
    String memberId = Requests.requireUserId(req, "memberId");
    return store.removeMember(userId, threadId, memberId).map(removed -> {
      if (removed) {
        vertx.eventBus().publish(Addresses.EVENT_MEMBER_REMOVED,
            new JsonObject().put("threadId", threadId).put("userId", memberId));
        memberRemoved.increment();
      }
      return new JsonObject().put("removed", removed);
    });
  }

  Future<JsonObject> check(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String threadId = Requests.requireThreadId(req, "threadId");
    return store.memberRole(threadId, userId).map(role -> new JsonObject().put("role", role));
  }
}
