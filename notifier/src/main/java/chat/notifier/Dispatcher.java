package chat.notifier;

import chat.api.v1.ApiV1.PresenceReply;
import chat.client.ChatClient;
import chat.notifier.NotificationStore.Delivered;
import chat.notifier.NotificationStore.Dropped;
import chat.notifier.NotificationStore.Due;
import chat.notifier.NotificationStore.Failed;
import chat.notifier.NotificationStore.Outcome;
import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.model.Message;
import chat.shared.model.Receipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the notifications that are due. For each, the member's state is asked again through the service
 * API at that moment (events may have been missed): no longer a member, present in the thread, or every
 * message of the window read (or deleted) drops it, and so does a muted thread unless a message mentions
 * {@code @userId}; otherwise the webhook gets the window's unread messages (in a muted thread, the mentions).
 * A failure is retried with exponential backoff (1, 2, 4 ... seconds, capped). Runs on the verticle's event loop.
 */
final class Dispatcher {
  static final int PREVIEW_CHARS = 140;
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int BATCH = 16;
  private static final long PAGE = 200;
  /** The most messages listed in one notification (count says how many there are). */
  private static final int LISTED = 20;
  private static final int MAX_PAGES = 5;

  private final Vertx vertx;
  private final ChatClient chat;
  private final NotificationStore store;
  private final Webhook webhook;
  private final int retryMaxSeconds;
  private long timer = -1;
  private boolean busy;

  Dispatcher(Vertx vertx, ChatClient chat, NotificationStore store, Webhook webhook, int retryMaxSeconds) {
    this.vertx = vertx;
    this.chat = chat;
    this.store = store;
    this.webhook = webhook;
    this.retryMaxSeconds = retryMaxSeconds;
  }

  void start(long periodMs) {
    timer = vertx.setPeriodic(periodMs, id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void tick() {
    if (busy) {
      return;
    }
    busy = true;
    store.dispatch(BATCH, this::handle).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        LOG.warn("Dispatch failed (retried on the next tick): {}", ar.cause().getMessage());
      } else if (ar.result() == BATCH) {
        tick(); // more are due
      }
    });
  }

  private Future<Outcome> handle(Due due) {
    return chat.receipts(due.userId(), due.threadId()).compose(receipts -> {
      OptionalLong marker = receipts.receipts().stream().filter(r -> r.userId().equals(due.userId()))
          .mapToLong(Receipt::lastReadSeq).findFirst();
      if (marker.isEmpty()) {
        return Future.succeededFuture((Outcome) new Dropped("left"));
      }
      long lastRead = marker.getAsLong();
      if (lastRead >= due.lastSeq()) {
        return Future.succeededFuture((Outcome) new Dropped("read"));
      }
      return chat.presence(due.userId(), due.threadId()).compose(presence -> present(presence, due.userId())
          ? Future.succeededFuture(new Dropped("present"))
          : unread(due, Math.max(lastRead, due.firstSeq() - 1), new ArrayList<>(), 0).compose(messages -> messages.isEmpty()
              ? Future.succeededFuture(new Dropped("read"))
              : chat.thread(due.userId(), due.threadId()).compose(thread -> {
                List<Message> told = thread.muted() ? mentioning(messages, due.userId()) : messages;
                return told.isEmpty()
                    ? Future.succeededFuture((Outcome) new Dropped("muted"))
                    : webhook.deliver(due.deliveryId(), body(due, thread.title(), told)).map(v -> (Outcome) new Delivered());
              })));
    }).recover(err -> {
      ChatException e = ChatException.from(err);
      if (e.code() == ErrorCode.NOT_MEMBER || e.code() == ErrorCode.THREAD_NOT_FOUND) {
        return Future.succeededFuture(new Dropped("left"));
      }
      long retryIn = backoffSeconds(due.attempts());
      LOG.info("Notification {} attempt {} failed, retried in {} s: {}", due.deliveryId(), due.attempts() + 1, retryIn,
          err.getMessage());
      return Future.succeededFuture(new Failed(String.valueOf(err.getMessage()), retryIn));
    });
  }

  private static boolean present(PresenceReply presence, String userId) {
    return presence.onlineUserIds().contains(userId);
  }

  /** The window's messages after {@code after} that someone else wrote and that are not deleted, oldest first. */
  private Future<List<Message>> unread(Due due, long after, List<Message> acc, int pages) {
    return chat.history(due.userId(), due.threadId(), after, due.lastSeq() + 1, PAGE).compose(page -> {
      for (Message m : page.messages()) {
        if (NotificationStore.tells(m, due.userId())) {
          acc.add(m);
        }
      }
      List<Message> got = page.messages();
      return page.hasMore() && !got.isEmpty() && pages + 1 < MAX_PAGES
          ? unread(due, got.get(got.size() - 1).seq(), acc, pages + 1)
          : Future.succeededFuture(acc);
    });
  }

  /** In a muted thread only mentions notify: the messages naming {@code @userId} (ids, since names repeat). */
  static List<Message> mentioning(List<Message> messages, String userId) {
    List<Message> named = new ArrayList<>();
    for (Message m : messages) {
      if (mentions(m.body(), userId)) {
        named.add(m);
      }
    }
    return named;
  }

  /** {@code @userId} as a whole id: not followed by another character a user id may hold. */
  static boolean mentions(String body, String userId) {
    String mention = "@" + userId;
    for (int at = body.indexOf(mention); at >= 0; at = body.indexOf(mention, at + 1)) {
      int end = at + mention.length();
      if (end == body.length() || !Requests.isUserId(String.valueOf(body.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  /** 1, 2, 4, ... seconds after the first, second, third failed attempt, at most {@code retryMaxSeconds}. */
  long backoffSeconds(int attemptsBefore) {
    return Math.min(retryMaxSeconds, 1L << Math.min(attemptsBefore, 30));
  }

  /** The webhook's body: the newest {@link #LISTED} messages of the window, and how many there are. */
  static JsonObject body(Due due, String title, List<Message> messages) {
    JsonArray listed = new JsonArray();
    for (Message m : messages.subList(Math.max(0, messages.size() - LISTED), messages.size())) {
      listed.add(new JsonObject().put("id", m.id()).put("authorId", m.authorId()).put("preview", preview(m.body())));
    }
    return new JsonObject()
        .put("deliveryId", due.deliveryId())
        .put("userId", due.userId())
        .put("threadId", due.threadId())
        .put("threadTitle", title)
        .put("messages", listed)
        .put("count", messages.size());
  }

  /** The first {@link #PREVIEW_CHARS} characters, never cutting a surrogate pair in half. */
  static String preview(String body) {
    if (body.length() <= PREVIEW_CHARS) {
      return body;
    }
    int end = PREVIEW_CHARS;
    if (Character.isHighSurrogate(body.charAt(end - 1))) {
      end--;
    }
    return body.substring(0, end);
  }
}
