package chat.notifier;

import chat.api.v1.ApiV1.HistoryPage;
import chat.api.v1.ApiV1.MemberAdded;
import chat.api.v1.ApiV1.MessageSent;
import chat.client.ChatClient;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.model.Message;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a thread's new messages into notification windows. An event only says "look at this thread": the
 * messages themselves come from history after the thread's cursor ({@code afterSeq}), so a missed event, a
 * restart or a replica that heard it first loses or repeats nothing. One scan per thread at a time in this
 * process (an event during a scan asks for one more); across replicas the cursor's row lock decides.
 * Runs on the verticle's event loop.
 */
final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
  private static final long PAGE = 200;
  private static final int CATCH_UP_PARALLEL = 8;

  private final ChatClient chat;
  private final NotificationStore store;
  private final int delaySeconds;
  /** Threads being scanned here; true when another scan was asked for meanwhile. */
  private final Map<String, Boolean> scanning = new HashMap<>();

  Ingest(ChatClient chat, NotificationStore store, int delaySeconds) {
    this.chat = chat;
    this.store = store;
    this.delaySeconds = delaySeconds;
  }

  void messageSent(MessageSent e) {
    // a thread seen for the first time is followed from this message on
    scan(e.threadId(), e.message().authorId(), e.message().seq() - 1);
  }

  /** A thread seen for the first time is followed from its current last message: its past is not news. */
  void memberAdded(MemberAdded e) {
    store.cursor(e.threadId())
        .compose(known -> known.isPresent()
            ? Future.succeededFuture()
            : chat.thread(e.userId(), e.threadId()).compose(t -> store.initCursor(e.threadId(), t.lastSeq(), e.userId())))
        .onFailure(err -> LOG.warn("Cannot follow thread {}: {}", e.threadId(), err.getMessage()));
  }

  /**
   * The catch-up at start: every thread followed, from its cursor, {@link #CATCH_UP_PARALLEL} at a time (the
   * services are not flooded after a long outage). Completes when the scans are started; they go on meanwhile.
   */
  Future<Void> catchUp() {
    return store.cursors().map(all -> {
      LOG.info("Catching up on {} threads", all.size());
      Iterator<NotificationStore.Cursor> next = all.iterator();
      for (int i = 0; i < CATCH_UP_PARALLEL; i++) {
        catchUpNext(next);
      }
      return null;
    });
  }

  private void catchUpNext(Iterator<NotificationStore.Cursor> next) {
    if (next.hasNext()) {
      scan(next.next().threadId(), null, 0).onComplete(ar -> catchUpNext(next));
    }
  }

  /**
   * Scans {@code threadId} after its cursor, acting as {@code actorHint} (a member) or the cursor's member.
   * While a scan of the thread runs, another is only noted and runs after it; the future completes with the
   * scan started here (or at once when one was running).
   */
  Future<Void> scan(String threadId, String actorHint, long startAfterIfNew) {
    if (scanning.containsKey(threadId)) {
      scanning.put(threadId, true);
      return Future.succeededFuture();
    }
    scanning.put(threadId, false);
    return scanOnce(threadId, actorHint, startAfterIfNew).andThen(ar -> {
      if (ar.failed()) {
        LOG.warn("Scan of thread {} failed (the next event or restart retries): {}", threadId, ar.cause().getMessage());
      }
      if (Boolean.TRUE.equals(scanning.remove(threadId))) {
        scan(threadId, actorHint, startAfterIfNew);
      }
    }).otherwiseEmpty();
  }

  private Future<Void> scanOnce(String threadId, String actorHint, long startAfterIfNew) {
    return store.cursor(threadId)
        .compose(c -> c.isPresent() ? Future.succeededFuture(c.get())
            : store.initCursor(threadId, Math.max(0, startAfterIfNew), actorHint).compose(v -> store.cursor(threadId)).map(Optional::get))
        .compose(cursor -> {
          List<String> actors = new ArrayList<>();
          if (actorHint != null) {
            actors.add(actorHint);
          }
          if (!actors.contains(cursor.actorId())) {
            actors.add(cursor.actorId());
          }
          return pages(threadId, actors, 0, cursor.lastSeq());
        });
  }

  /** Pages forward from {@code after}; an actor who is no longer a member hands over to the next one. */
  private Future<Void> pages(String threadId, List<String> actors, int actor, long after) {
    String as = actors.get(actor);
    return chat.history(as, threadId, after, null, PAGE).compose(page -> ingest(threadId, as, page).compose(v -> {
      List<Message> messages = page.messages();
      return page.hasMore() && !messages.isEmpty()
          ? pages(threadId, actors, actor, messages.get(messages.size() - 1).seq())
          : Future.<Void>succeededFuture();
    }), err -> {
      ChatException e = ChatException.from(err);
      return e.code() == ErrorCode.NOT_MEMBER && actor + 1 < actors.size()
          ? pages(threadId, actors, actor + 1, after)
          : Future.failedFuture(e);
    });
  }

  private Future<Void> ingest(String threadId, String as, HistoryPage page) {
    if (page.messages().isEmpty()) {
      return Future.succeededFuture();
    }
    return chat.receipts(as, threadId)
        .compose(r -> store.ingest(threadId, as, page.messages(), r.receipts(), delaySeconds))
        .mapEmpty();
  }
}
