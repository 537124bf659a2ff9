package chat.messaging;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.db.PgErrors;
import chat.shared.db.SqlFile;
import chat.shared.db.Uuids;
import chat.shared.model.Member;
import chat.shared.model.Message;
import chat.shared.model.ThreadSummary;
import chat.shared.model.Timestamps;
import chat.shared.protocol.Messaging.MemberCursor;
import chat.shared.protocol.Messaging.MemberPage;
import chat.shared.protocol.Messaging.ThreadCursor;
import chat.shared.protocol.Messaging.ThreadList;
import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link MessageStore} on Postgres; the SQL lives in {@code chat/messaging/queries.sql}. */
public final class PgMessageStore implements MessageStore {
  static final SqlFile SQL = SqlFile.load("chat/messaging/queries.sql");
  private static final String IDEMPOTENCY_INDEX = "messages_idempotency";

  private final Pool pool;
  private final SendBatcher<Pending, Sent> batcher;
  private final long answerWithinMs;
  private final DistributionSummary batchSizes = ChatMetrics.sendBatchSize();
  private volatile Consumer<Sent> lateCommits = sent -> {};

  /** A store that runs each send as its own statement (no batching). */
  public PgMessageStore(Pool pool) {
    this(pool, 1, Integer.MAX_VALUE);
  }

  public PgMessageStore(Pool pool, int sendBatch, int sendStatements) {
    this(pool, sendBatch, sendStatements, Integer.MAX_VALUE, 0);
  }

  /**
   * @param sendBatch at most this many sends in one statement (1: never batch)
   * @param sendStatements at most this many send statements running at once; more sends queue and are batched
   * @param sendQueue at most this many sends wait; beyond, a send fails {@code unavailable}
   * @param statementTimeoutMs the pool's statement timeout (0: none); a send statement unanswered at 1.5 times
   *     it is answered {@code send_outcome_unknown} (a stalled server cannot cancel it)
   */
  public PgMessageStore(Pool pool, int sendBatch, int sendStatements, int sendQueue, long statementTimeoutMs) {
    this.pool = pool;
    this.answerWithinMs = statementTimeoutMs * 3 / 2;
    this.batcher = new SendBatcher<>(sendBatch, sendStatements, sendQueue, p -> p.m().deadlineMs(),
        Pending::idempotencyKey, this::sendBatch);
  }

  @Override
  public void onLateCommit(Consumer<Sent> handler) {
    lateCommits = handler;
  }

  /** Fails waiting sends whose deadline passed (called periodically). */
  void expireWaitingSends() {
    batcher.expire();
  }

  /** A thread as one member ({@code viewerId}) sees it. */
  private record View(String viewerId, ThreadSummary summary) {}

  @Override
  public Future<Void> upsertUser(String userId, String name) {
    return PgErrors.guard(query("upsert_user", Tuple.of(userId, name)).mapEmpty());
  }

  @Override
  public Future<ThreadSummary> createThread(String creatorId, String title, List<String> memberIds) {
    UUID id = Uuids.v7();
    Instant now = Timestamps.now();
    Tuple args = Tuple.of(id, title, creatorId, memberIds.toArray(String[]::new), odt(now));
    return PgErrors.guard(query("create_thread", args).map(rows -> {
      List<Member> members = new ArrayList<>(Math.min(rows.size(), ThreadSummary.MAX_MEMBERS));
      for (Row r : rows) {
        if (members.size() < ThreadSummary.MAX_MEMBERS) {
          members.add(member(r));
        }
      }
      return new ThreadSummary(id.toString(), title, now, now, 0, null, 0, false, rows.size(), members);
    }));
  }

  @Override
  public Future<ThreadList> listThreads(String userId, int limit, ThreadCursor after) {
    Instant asOf = after == null ? Timestamps.now() : fromMicros(after.asOfMicros());
    Tuple args = Tuple.of(userId, odt(asOf), after == null ? null : odt(fromMicros(after.atMicros())),
        after == null ? null : UUID.fromString(after.id()), limit + 1);
    return PgErrors.guard(query("list_threads", args).compose(rows -> {
      String next = null;
      if (rows.size() > limit) {
        Row last = null;
        int i = 0;
        for (Row r : rows) {
          if (++i == limit) {
            last = r;
            break;
          }
        }
        next = new ThreadCursor(micros(asOf), micros(last.getOffsetDateTime("at").toInstant()),
            last.getUUID("id").toString()).encode();
      }
      String nextCursor = next;
      return views(rows).map(views -> new ThreadList(
          views.stream().limit(limit).map(View::summary).toList(), nextCursor));
    }));
  }

  @Override
  public Future<Renamed> renameThread(String callerId, String threadId, String title) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(pool.withTransaction(c -> lockedRole(c, thread, callerId).compose(role -> {
      requireAdmin(role);
      return c.preparedQuery(SQL.get("rename_thread")).execute(Tuple.of(thread, title))
          .compose(v -> c.preparedQuery(SQL.get("thread_for_all_members")).execute(Tuple.of(thread)));
    })).compose(this::views).map(views -> {
      Map<String, ThreadSummary> byMember = new LinkedHashMap<>();
      views.forEach(v -> byMember.put(v.viewerId(), v.summary()));
      return new Renamed(byMember);
    }));
  }

  @Override
  public Future<Boolean> changeRole(String callerId, String threadId, String memberId, String role) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(pool.withTransaction(c -> lockedRole(c, thread, callerId).compose(callerRole -> {
      requireAdmin(callerRole);
      return c.preparedQuery(SQL.get("member_role")).execute(Tuple.of(thread, memberId));
    }).compose(rows -> {
      if (rows.size() == 0) {
        throw new ChatException(ErrorCode.INVALID_REQUEST, "'" + memberId + "' is not a member of the thread");
      }
      String current = rows.iterator().next().getString("role");
      if (current.equals(role)) {
        return Future.succeededFuture(false);
      }
      Future<Void> allowed = !Member.ADMIN.equals(current) ? Future.succeededFuture()
          : c.preparedQuery(SQL.get("admin_count")).execute(Tuple.of(thread)).map(admins -> {
            if (admins.iterator().next().getLong("admins") <= 1) {
              throw new ChatException(ErrorCode.FORBIDDEN,
                  "A thread keeps at least one admin: make another member admin first");
            }
            return null;
          });
      return allowed.compose(v -> c.preparedQuery(SQL.get("set_role")).execute(Tuple.of(thread, memberId, role)))
          .map(true);
    })));
  }

  @Override
  public Future<ThreadSummary> setMute(String userId, String threadId, boolean muted) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(query("set_mute", Tuple.of(thread, userId, muted)).compose(rows -> rows.size() == 0
        ? notSentReason(thread).compose(Future::failedFuture)
        : query("thread_for_members", Tuple.of(thread, (Object) new String[] {userId}))
            .compose(this::views)
            .map(views -> viewOf(views, userId))));
  }

  @Override
  public Future<ThreadSummary> thread(String userId, String threadId) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(query("thread_for_members", Tuple.of(thread, (Object) new String[] {userId}))
        .compose(rows -> rows.size() > 0
            ? views(rows).map(views -> viewOf(views, userId))
            // no row: missing thread or not a member; member_role's failure says which
            : memberRole(threadId, userId).map(role -> {
              throw new ChatException(ErrorCode.NOT_MEMBER);
            })));
  }

  @Override
  public Future<Added> addMember(String callerId, String threadId, String memberId, int maxMembers) {
    UUID thread = UUID.fromString(threadId);
    Tuple args = Tuple.of(thread, callerId, memberId, odt(Timestamps.now()), maxMembers);
    return PgErrors.guard(query("add_member", args)
        .compose(rows -> {
          Row r = rows.iterator().next();
          requireAdmin(r);
          boolean added = r.getBoolean("added");
          if (!added && !r.getBoolean("already") && r.getInteger("member_count") >= maxMembers) {
            throw new ChatException(ErrorCode.THREAD_FULL, "The thread has its " + maxMembers + " members");
          }
          return query("thread_for_members", Tuple.of(thread, (Object) new String[] {callerId, memberId}))
              .compose(this::views)
              .map(views -> new Added(added, viewOf(views, callerId), viewOf(views, memberId)));
        }));
  }

  @Override
  public Future<MemberPage> members(String threadId, String userId, int limit, MemberCursor after) {
    UUID thread = UUID.fromString(threadId);
    Tuple args = Tuple.of(thread, userId, after == null ? null : after.role(), after == null ? null : after.userId(),
        limit + 1);
    return PgErrors.guard(query("member_page", args).compose(rows -> {
      if (rows.size() == 0) {
        return memberRole(threadId, userId).map(role -> new MemberPage(List.of(), null));
      }
      List<Member> page = new ArrayList<>(Math.min(rows.size(), limit));
      for (Row r : rows) {
        if (page.size() == limit) {
          break;
        }
        page.add(member(r));
      }
      String next = rows.size() > limit ? MemberCursor.of(page.get(page.size() - 1)).encode() : null;
      return Future.succeededFuture(new MemberPage(page, next));
    }));
  }

  @Override
  public Future<Removal> removeMember(String callerId, String threadId, String memberId) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(pool.withTransaction(c -> lockedRole(c, thread, callerId).recover(err -> {
      // someone who is not a member may still "leave": a no-op, as before
      boolean self = callerId.equals(memberId);
      return self && err instanceof ChatException ce && ce.code() == ErrorCode.NOT_MEMBER
          ? Future.succeededFuture(null) : Future.failedFuture(err);
    }).compose(role -> {
      if (!callerId.equals(memberId)) {
        requireAdmin(role);
      }
      return c.preparedQuery(SQL.get("delete_member")).execute(Tuple.of(thread, memberId));
    }).compose(rows -> {
      String removedRole = rows.iterator().next().getString("removed_role");
      if (removedRole == null) {
        return Future.succeededFuture(new Removal(false, null));
      }
      if (!Member.ADMIN.equals(removedRole)) {
        return Future.succeededFuture(new Removal(true, null));
      }
      return c.preparedQuery(SQL.get("promote_successor")).execute(Tuple.of(thread)).map(promoted ->
          new Removal(true, promoted.size() == 0 ? null : promoted.iterator().next().getString("user_id")));
    })));
  }

  /**
   * Takes the thread row's lock, then reads the caller's role with a fresh snapshot (so it sees any
   * change committed before the lock was granted). Fails {@code thread_not_found} or {@code not_member}.
   */
  private static Future<String> lockedRole(SqlConnection c, UUID thread, String userId) {
    return c.preparedQuery(SQL.get("lock_thread_row")).execute(Tuple.of(thread)).compose(lock -> {
      if (lock.size() == 0) {
        throw new ChatException(ErrorCode.THREAD_NOT_FOUND);
      }
      return c.preparedQuery(SQL.get("member_role")).execute(Tuple.of(thread, userId)).map(rows -> {
        if (rows.size() == 0) {
          throw new ChatException(ErrorCode.NOT_MEMBER);
        }
        return rows.iterator().next().getString("role");
      });
    });
  }

  private static void requireAdmin(String role) {
    if (!Member.ADMIN.equals(role)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "Only an admin of the thread may do this");
    }
  }

  @Override
  public Future<String> memberRole(String threadId, String userId) {
    UUID thread = UUID.fromString(threadId);
    return PgErrors.guard(query("member_role", Tuple.of(thread, userId)).compose(rows -> rows.size() > 0
        ? Future.succeededFuture(rows.iterator().next().getString("role"))
        : notSentReason(thread).compose(Future::failedFuture)));
  }

  /**
   * Sends go through {@link SendBatcher}: a send that finds a free slot runs alone ({@code send}); sends
   * that arrive while {@code sendStatements} statements are running leave together as one
   * {@code send_batch} statement. The same author's same clientMessageId never shares a batch.
   */
  @Override
  public Future<Sent> send(NewMessage m) {
    Pending p = new Pending(m, UUID.fromString(m.threadId()), Uuids.v7(), Timestamps.now());
    return m.attachmentIds().isEmpty() ? batcher.submit(p) : sendWithAttachments(p);
  }

  /**
   * A send with attachments, never batched: one transaction claims the uploads, runs {@code send} and stores
   * their shape on the message; any upload that is not the author's unsent one to this thread, a refused send
   * or a duplicate clientMessageId rolls it all back.
   */
  private Future<Sent> sendWithAttachments(Pending p) {
    NewMessage m = p.m();
    UUID[] ids = m.attachmentIds().stream().map(UUID::fromString).toArray(UUID[]::new);
    Future<Sent> tx = pool.withTransaction(c -> c.preparedQuery(SQL.get("claim_attachments"))
        .execute(Tuple.of(p.id(), p.thread(), m.authorId(), ids))
        .compose(claimed -> {
          if (claimed.size() != ids.length) {
            return notSentReason(p.thread(), m.authorId()).compose(reason -> Future.failedFuture(reason != null ? reason
                : new ChatException(ErrorCode.INVALID_REQUEST,
                    "'attachmentIds' must be your own uploads to this thread that were not sent yet")));
          }
          JsonArray attachments = attachmentsInOrder(claimed, ids);
          Tuple args = Tuple.of(p.thread(), m.authorId(), p.id(), m.body(), m.clientMessageId(), odt(p.now()))
              .addString(m.via());
          return c.preparedQuery(SQL.get("send")).execute(args).compose(rows -> {
            if (rows.size() == 0) {
              return notSentReason(p.thread()).compose(Future::failedFuture);
            }
            Row r = rows.iterator().next();
            return c.preparedQuery(SQL.get("set_message_attachments")).execute(Tuple.of(p.id(), attachments))
                .map(v -> withAttachments(sent(p, r), attachments));
          });
        }));
    return PgErrors.guard(tx.recover(err -> PgErrors.isUniqueViolation(err, IDEMPOTENCY_INDEX)
        ? firstSent(p.thread(), m)
        : Future.failedFuture(err)));
  }

  /** The claimed uploads in the order the sender listed them, in the client shape (no url). */
  private static JsonArray attachmentsInOrder(RowSet<Row> claimed, UUID[] order) {
    Map<UUID, Row> byId = new HashMap<>();
    claimed.forEach(r -> byId.put(r.getUUID("id"), r));
    JsonArray out = new JsonArray();
    for (UUID id : order) {
      Row r = byId.get(id);
      out.add(new io.vertx.core.json.JsonObject().put("id", id.toString()).put("name", r.getString("name"))
          .put("contentType", r.getString("content_type")).put("size", r.getLong("size")));
    }
    return out;
  }

  private static Sent withAttachments(Sent s, JsonArray attachments) {
    Message m = s.message();
    return new Sent(new Message(m.id(), m.threadId(), m.seq(), m.version(), m.authorId(), m.body(), m.createdAt(),
        m.clientMessageId(), attachments, m.editedAt(), m.deleted(), m.via()), s.created(), s.memberIds(),
        s.authorHadUnread());
  }

  /** Why a claim failed when it is the thread or the membership (null when it is the uploads themselves). */
  private Future<ChatException> notSentReason(UUID thread, String userId) {
    return query("member_role", Tuple.of(thread, userId)).compose(rows -> rows.size() > 0
        ? Future.succeededFuture((ChatException) null)
        : notSentReason(thread));
  }

  /** A send with its id and time fixed on arrival. */
  private record Pending(NewMessage m, UUID thread, UUID id, Instant now) {
    Object idempotencyKey() {
      return m.clientMessageId() == null ? null : List.of(m.threadId(), m.authorId(), m.clientMessageId());
    }
  }

  /**
   * Runs a batch on a connection of its own: a send whose deadline passed while the connection was being
   * acquired is dropped ({@code unavailable}); the others leave as one statement (or {@code send} alone).
   */
  private Future<?> sendBatch(List<SendBatcher.Item<Pending, Sent>> items) {
    batchSizes.record(items.size());
    return pool.getConnection().transform(ar -> {
      if (ar.failed()) {
        ChatException err = PgErrors.map(ar.cause());
        items.forEach(item -> item.promise().tryFail(err));
        return Future.succeededFuture();
      }
      SqlConnection conn = ar.result();
      List<SendBatcher.Item<Pending, Sent>> live = startable(items);
      Future<?> done = live.isEmpty() ? Future.succeededFuture()
          : live.size() == 1 ? sendOne(conn, live.get(0)) : sendMany(conn, live);
      return done.eventually(conn::close);
    });
  }

  private static List<SendBatcher.Item<Pending, Sent>> startable(List<SendBatcher.Item<Pending, Sent>> items) {
    long now = System.currentTimeMillis();
    List<SendBatcher.Item<Pending, Sent>> live = new ArrayList<>(items.size());
    for (SendBatcher.Item<Pending, Sent> item : items) {
      if (item.value().m().deadlineMs() < now) {
        item.promise().tryFail(new ChatException(ErrorCode.UNAVAILABLE, "The send did not start in time; nothing was written"));
      } else {
        live.add(item);
      }
    }
    return live;
  }

  private Future<?> sendMany(SqlConnection conn, List<SendBatcher.Item<Pending, Sent>> items) {
    int n = items.size();
    UUID[] threads = new UUID[n];
    String[] authors = new String[n];
    UUID[] ids = new UUID[n];
    String[] bodies = new String[n];
    String[] clientIds = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] vias = new String[n];
    for (int i = 0; i < n; i++) {
      Pending p = items.get(i).value();
      threads[i] = p.thread();
      authors[i] = p.m().authorId();
      ids[i] = p.id();
      bodies[i] = p.m().body();
      clientIds[i] = p.m().clientMessageId();
      times[i] = odt(p.now());
      vias[i] = p.m().via();
    }
    Tuple args = Tuple.of(threads, authors, ids, bodies, clientIds, times).addArrayOfString(vias);
    return guarded(conn.preparedQuery(SQL.get("send_batch")).execute(args), items).transform(ar -> {
      if (ar.failed()) {
        if (!(ar.cause() instanceof PgException)) {
          // The outcome is unknown (the connection failed): never run the sends again, say so.
          items.forEach(item -> item.promise().tryFail(outcomeUnknown(ar.cause())));
          return Future.succeededFuture();
        }
        // Postgres refused the statement (a duplicate clientMessageId, a deadlock, its timeout...), so nothing
        // was written: each send still in time is tried again on its own, where a duplicate gets the first message.
        return Future.join(startable(items).stream().map(item -> sendOne(conn, item)).toList());
      }
      Map<UUID, Row> byId = new HashMap<>(ar.result().size() * 2);
      ar.result().forEach(r -> byId.put(r.getUUID("id"), r));
      List<Future<Sent>> refused = new ArrayList<>();
      for (SendBatcher.Item<Pending, Sent> item : items) {
        Row r = byId.get(item.value().id());
        if (r != null) {
          settle(item, sent(item.value(), r));
        } else {
          Future<Sent> reason = PgErrors.guard(notSentReason(item.value().thread()).compose(Future::failedFuture));
          reason.onFailure(item.promise()::tryFail);
          refused.add(reason);
        }
      }
      return Future.join(refused);
    });
  }

  private Future<Sent> sendOne(SqlConnection conn, SendBatcher.Item<Pending, Sent> item) {
    Pending p = item.value();
    NewMessage m = p.m();
    Tuple args = Tuple.of(p.thread(), m.authorId(), p.id(), m.body(), m.clientMessageId(), odt(p.now())).addString(m.via());
    Future<Sent> result = guarded(conn.preparedQuery(SQL.get("send")).execute(args), List.of(item))
        .recover(err -> err instanceof PgException ? Future.failedFuture(err) : Future.failedFuture(outcomeUnknown(err)))
        .compose(rows -> rows.size() == 0
            ? PgErrors.guard(notSentReason(p.thread()).compose(Future::failedFuture))
            : Future.succeededFuture(sent(p, rows.iterator().next())))
        .recover(err -> PgErrors.isUniqueViolation(err, IDEMPOTENCY_INDEX)
            ? PgErrors.guard(firstSent(p.thread(), m))
            : Future.failedFuture(PgErrors.map(err)));
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        settle(item, ar.result());
      } else {
        item.promise().tryFail(ar.cause());
      }
    });
    return result;
  }

  /**
   * The statement's result, with its callers answered {@code send_outcome_unknown} if it takes longer
   * than {@code answerWithinMs}: a frozen Postgres cannot enforce its own statement timeout.
   */
  private <X> Future<X> guarded(Future<X> statement, List<SendBatcher.Item<Pending, Sent>> items) {
    if (answerWithinMs > 0) {
      statement.timeout(answerWithinMs, TimeUnit.MILLISECONDS).onFailure(t -> {
        if (!statement.isComplete()) {
          items.forEach(item -> item.promise().tryFail(outcomeUnknown(t)));
        }
      });
    }
    return statement;
  }

  /** Answers the send; one already answered (unknown outcome) that committed is announced all the same. */
  private void settle(SendBatcher.Item<Pending, Sent> item, Sent sent) {
    if (!item.promise().tryComplete(sent) && sent.created()) {
      lateCommits.accept(sent);
    }
  }

  private static ChatException outcomeUnknown(Throwable cause) {
    if (cause instanceof ChatException ce && ce.code() == ErrorCode.SEND_OUTCOME_UNKNOWN) {
      return ce;
    }
    LoggerHolder.LOG.warn("A send statement's outcome is unknown: {}", String.valueOf(cause));
    return new ChatException(ErrorCode.SEND_OUTCOME_UNKNOWN);
  }

  private static final class LoggerHolder {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PgMessageStore.class);
  }

  private static Sent sent(Pending p, Row r) {
    NewMessage m = p.m();
    Message message = new Message(p.id().toString(), m.threadId(), r.getLong("seq"), r.getLong("version"), m.authorId(),
        m.body(), p.now(), m.clientMessageId(), new JsonArray(), null, false, m.via());
    return new Sent(message, true, Arrays.asList(r.getArrayOfStrings("member_ids")),
        Boolean.TRUE.equals(r.getBoolean("author_had_unread")));
  }

  @Override
  public Future<Page> history(HistoryQuery q) {
    UUID thread = UUID.fromString(q.threadId());
    boolean changes = q.changedAfter() != null;
    boolean forward = changes || q.afterSeq() != null;
    long after = q.afterSeq() == null ? 0 : q.afterSeq();
    long before = q.beforeSeq() == null ? Long.MAX_VALUE : q.beforeSeq();
    Future<RowSet<Row>> rowsFuture = changes
        ? query("changes", Tuple.of(thread, q.userId(), q.changedAfter(), q.limit() + 1))
        : query(forward ? "history_forward" : "history_backward", Tuple.of(thread, q.userId(), after, before, q.limit() + 1));
    return PgErrors.guard(rowsFuture
        .compose(rows -> {
          if (rows.size() == 0) {
            return memberRole(q.threadId(), q.userId()).map(role -> new Page(List.of(), false));
          }
          List<Message> page = new ArrayList<>(Math.min(rows.size(), q.limit()));
          for (Row r : rows) {
            if (page.size() == q.limit()) {
              break;
            }
            page.add(message(r, q.threadId()));
          }
          if (!forward) {
            Collections.reverse(page);
          }
          return Future.succeededFuture(new Page(page, rows.size() > q.limit()));
        }));
  }

  @Override
  public Future<Changed> edit(String userId, String threadId, String messageId, String body) {
    UUID thread = UUID.fromString(threadId);
    UUID id = UUID.fromString(messageId);
    return PgErrors.guard(pool.withTransaction(c -> lockForChange(c, thread, userId, id, threadId).compose(locked -> {
      Message m = locked.message();
      if (m.deleted()) {
        throw new ChatException(ErrorCode.MESSAGE_NOT_FOUND, "The message was deleted");
      }
      if (!m.authorId().equals(userId)) {
        throw new ChatException(ErrorCode.FORBIDDEN, "Only the author may edit a message");
      }
      if (m.body().equals(body)) {
        return Future.succeededFuture(Changed.nothing(m));
      }
      return c.preparedQuery(SQL.get("edit_message")).execute(Tuple.of(thread, id, body, odt(Timestamps.now())))
          .map(rows -> {
            Row r = rows.iterator().next();
            return new Changed(message(r, threadId), true, Arrays.asList(r.getArrayOfStrings("member_ids")),
                r.getLong("seq") == r.getLong("last_seq"), List.of());
          });
    })));
  }

  @Override
  public Future<Changed> delete(String userId, String threadId, String messageId) {
    UUID thread = UUID.fromString(threadId);
    UUID id = UUID.fromString(messageId);
    return PgErrors.guard(pool.withTransaction(c -> lockForChange(c, thread, userId, id, threadId).compose(locked -> {
      Message m = locked.message();
      if (!m.authorId().equals(userId) && !Member.ADMIN.equals(locked.role())) {
        throw new ChatException(ErrorCode.FORBIDDEN, "Only the author or an admin may delete a message");
      }
      if (m.deleted()) {
        return Future.succeededFuture(Changed.nothing(m));
      }
      return c.preparedQuery(SQL.get("delete_message")).execute(Tuple.of(thread, id))
          // a message has attachment rows exactly when it lists attachments (tied in its send's transaction)
          .compose(rows -> m.attachments().isEmpty() ? Future.succeededFuture(rows)
              : c.preparedQuery(SQL.get("delete_message_attachments")).execute(Tuple.of(id)).map(rows))
          .map(rows -> {
        Row r = rows.iterator().next();
        Message tombstone = new Message(m.id(), threadId, m.seq(), r.getLong("version"), m.authorId(), "",
            m.createdAt(), m.clientMessageId(), new JsonArray(), m.editedAt(), true, m.via());
        return new Changed(tombstone, true, Arrays.asList(r.getArrayOfStrings("member_ids")),
            m.seq() == r.getLong("last_seq"), Arrays.asList(r.getArrayOfStrings("unread_by")));
      });
    })));
  }

  /** The caller's role and the message, read after taking the thread row's lock (see lock_thread). */
  private record Locked(String role, Message message) {}

  private static Future<Locked> lockForChange(SqlConnection c, UUID thread, String userId, UUID id, String threadId) {
    return c.preparedQuery(SQL.get("lock_thread")).execute(Tuple.of(thread, userId)).compose(lock -> {
      if (lock.size() == 0) {
        throw new ChatException(ErrorCode.THREAD_NOT_FOUND);
      }
      String role = lock.iterator().next().getString("role");
      if (role == null) {
        throw new ChatException(ErrorCode.NOT_MEMBER);
      }
      return c.preparedQuery(SQL.get("message_for_change")).execute(Tuple.of(thread, id)).map(rows -> {
        if (rows.size() == 0) {
          throw new ChatException(ErrorCode.MESSAGE_NOT_FOUND);
        }
        return new Locked(role, message(rows.iterator().next(), threadId));
      });
    });
  }

  private Future<RowSet<Row>> query(String name, Tuple args) {
    return pool.preparedQuery(SQL.get(name)).execute(args);
  }

  /** Why a thread-scoped statement matched nothing: the thread does not exist, or the user is not in it. */
  private Future<ChatException> notSentReason(UUID thread) {
    return query("thread_exists", Tuple.of(thread)).map(rows -> rows.iterator().next().getBoolean("thread_exists")
        ? new ChatException(ErrorCode.NOT_MEMBER)
        : new ChatException(ErrorCode.THREAD_NOT_FOUND));
  }

  private Future<Sent> firstSent(UUID thread, NewMessage m) {
    return query("message_by_client_id", Tuple.of(thread, m.authorId(), m.clientMessageId()))
        .map(rows -> new Sent(message(rows.iterator().next(), m.threadId()), false, List.of(), false));
  }

  private static void requireAdmin(Row r) {
    if (!r.getBoolean("thread_exists")) {
      throw new ChatException(ErrorCode.THREAD_NOT_FOUND);
    }
    String role = r.getString("caller_role");
    if (role == null) {
      throw new ChatException(ErrorCode.NOT_MEMBER);
    }
    if (!Member.ADMIN.equals(role)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "Only an admin of the thread may do this");
    }
  }

  /** Thread rows (list_threads / thread_for_members columns) with their members, in row order. */
  private Future<List<View>> views(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Future.succeededFuture(List.of());
    }
    List<UUID> ids = new ArrayList<>(rows.size());
    rows.forEach(r -> ids.add(r.getUUID("id")));
    UUID[] distinct = ids.stream().distinct().toArray(UUID[]::new);
    return query("members_of_threads", Tuple.of(distinct, ThreadSummary.MAX_MEMBERS)).map(memberRows -> {
      Map<UUID, List<Member>> members = new HashMap<>();
      for (Row m : memberRows) {
        members.computeIfAbsent(m.getUUID("thread_id"), k -> new ArrayList<>()).add(member(m));
      }
      List<View> views = new ArrayList<>(rows.size());
      for (Row r : rows) {
        views.add(new View(r.getString("viewer_id"), summary(r, members.getOrDefault(r.getUUID("id"), List.of()))));
      }
      return views;
    });
  }

  private static ThreadSummary viewOf(List<View> views, String viewerId) {
    return views.stream().filter(v -> v.viewerId().equals(viewerId)).map(View::summary).findFirst().orElse(null);
  }

  private static ThreadSummary summary(Row r, List<Member> members) {
    String threadId = r.getUUID("id").toString();
    long lastSeq = r.getLong("last_seq");
    UUID lastId = r.getUUID("lm_id");
    Message last = lastId == null ? null : new Message(lastId.toString(), threadId, lastSeq, r.getLong("lm_version"),
        r.getString("lm_author_id"), r.getString("lm_body"), instant(r.getOffsetDateTime("lm_created_at")),
        r.getString("lm_client_message_id"), new JsonArray(), instant(r.getOffsetDateTime("lm_edited_at")),
        r.getBoolean("lm_deleted"), r.getString("lm_via"));
    return new ThreadSummary(threadId, r.getString("title"), instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")), lastSeq, last,
        r.getLong("unread"), Boolean.TRUE.equals(r.getBoolean("muted")), r.getInteger("member_count"), members);
  }

  private static Message message(Row r, String threadId) {
    return new Message(r.getUUID("id").toString(), threadId, r.getLong("seq"), r.getLong("version"),
        r.getString("author_id"), r.getString("body"), instant(r.getOffsetDateTime("created_at")),
        r.getString("client_message_id"), attachments(r), instant(r.getOffsetDateTime("edited_at")),
        r.getBoolean("deleted"), r.getString("via"));
  }

  private static JsonArray attachments(Row r) {
    Object value = r.getValue("attachments");
    return value instanceof JsonArray a ? a : new JsonArray();
  }

  private static Member member(Row r) {
    return new Member(r.getString("user_id"), r.getString("name"), r.getString("role"));
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static OffsetDateTime odt(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
