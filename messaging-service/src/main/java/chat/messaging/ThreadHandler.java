package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.model.Events;
import chat.shared.model.Member;
import chat.shared.model.ThreadSummary;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.CreateThread;
import chat.shared.protocol.Messaging.ListThreads;
import chat.shared.protocol.Messaging.RenameThread;
import chat.shared.protocol.Messaging.ThreadList;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Messaging#THREAD_CREATE} (at most {@code MAX_THREAD_MEMBERS} members), {@link Messaging#THREAD_LIST}
 * (paged) and {@link Messaging#THREAD_RENAME}.
 * After a thread is created, {@code thread:added} goes to every member's user address (the creator's
 * other devices included) and {@link ApiV1#MEMBER_ADDED} to services for each member.
 */
final class ThreadHandler {
  private final Vertx vertx;
  private final BrowserEvents browsers;
  private final MessageStore store;
  private final int maxMembers;
  private final Counter published = ChatMetrics.eventsPublished(Events.THREAD_ADDED);
  private final Counter updated = ChatMetrics.eventsPublished(Events.THREAD_UPDATED);

  ThreadHandler(Vertx vertx, BrowserEvents browsers, MessageStore store, int maxMembers) {
    this.vertx = vertx;
    this.browsers = browsers;
    this.store = store;
    this.maxMembers = maxMembers;
  }

  Future<ThreadSummary> create(CreateThread req) {
    Set<String> distinct = new LinkedHashSet<>();
    distinct.add(req.userId());
    distinct.addAll(req.memberIds());
    List<String> members = List.copyOf(distinct);
    if (members.size() > maxMembers) {
      return Future.failedFuture(new ChatException(ErrorCode.THREAD_FULL,
          "A thread may have at most " + maxMembers + " members"));
    }
    return store.createThread(req.userId(), req.title(), members).map(summary -> {
      browsers.toUsers(members, Events.threadAdded(summary));
      // every member, not the summary's first few: the creator is the admin
      for (String member : members) {
        String role = member.equals(req.userId()) ? Member.ADMIN : Member.MEMBER;
        Bus.publish(vertx, ApiV1.MEMBER_ADDED, new ApiV1.MemberAdded(summary.id(), member, role));
      }
      published.increment(members.size());
      return summary;
    });
  }

  /** One thread as its member {@code userId} sees it (the service API's thread.get). */
  Future<ThreadSummary> get(String userId, String threadId) {
    return store.thread(userId, threadId);
  }

  Future<ThreadList> list(ListThreads req) {
    return store.listThreads(req.userId(), req.pageSize(), req.after());
  }

  /**
   * An admin renames the thread: {@code thread:updated} on the thread's address (as nobody in particular
   * sees it) and on each member's user address (as that member sees it), so every open list updates.
   */
  Future<ThreadSummary> rename(RenameThread req) {
    return store.renameThread(req.userId(), req.threadId(), req.title()).map(renamed -> {
      ThreadSummary callerView = renamed.byMember().get(req.userId());
      browsers.toThread(req.threadId(), Events.threadUpdated(callerView.shared()));
      // one event per member: each sees the thread as they see it (their unread, their mute)
      renamed.byMember().forEach((member, view) -> browsers.toUser(member, Events.threadUpdated(view)));
      updated.increment(renamed.byMember().size() + 1);
      Bus.publish(vertx, ApiV1.THREAD_RENAMED, new ApiV1.ThreadRenamed(req.threadId(), req.title()));
      return callerView;
    });
  }
}
