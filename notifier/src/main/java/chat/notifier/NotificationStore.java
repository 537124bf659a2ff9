package chat.notifier;

import chat.shared.db.SqlFile;
import chat.shared.model.Message;
import chat.shared.model.Receipt;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The notifier's schema ({@code db/notifier}): per thread the last seq turned into notifications, and the
 * notifications themselves from their window's opening to their delivery. The SQL is in
 * {@code chat/notifier/notifier.sql}.
 */
final class NotificationStore {
  private static final SqlFile SQL = SqlFile.load("chat/notifier/notifier.sql");

  private final Pool pool;

  NotificationStore(Pool pool) {
    this.pool = pool;
  }

  record Cursor(String threadId, long lastSeq, String actorId) {}

  /** A due notification, locked by the transaction that delivers it. */
  record Due(long id, String deliveryId, String userId, String threadId, long firstSeq, long lastSeq, int attempts) {}

  /** What became of a due notification. */
  sealed interface Outcome {}

  record Delivered() implements Outcome {}

  /** Nothing to tell any more ({@code read}, {@code present}, {@code left}). */
  /** Whether the message is one to tell {@code userId} about: not deleted, and someone else's. */
  static boolean tells(Message m, String userId) {
    return !m.deleted() && !m.authorId().equals(userId);
  }

  record Dropped(String reason) implements Outcome {}

  record Failed(String error, long retryInSeconds) implements Outcome {}

  Future<Optional<Cursor>> cursor(String threadId) {
    return pool.preparedQuery(SQL.get("cursor")).execute(Tuple.of(UUID.fromString(threadId))).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Cursor(threadId, r.getLong("last_seq"), r.getString("actor_id")));
    });
  }

  Future<List<Cursor>> cursors() {
    return pool.preparedQuery(SQL.get("cursors")).execute().map(rows -> {
      List<Cursor> all = new ArrayList<>(rows.size());
      rows.forEach(r -> all.add(new Cursor(r.getUUID("thread_id").toString(), 0, r.getString("actor_id"))));
      return all;
    });
  }

  /** Starts following a thread after {@code afterSeq}; a thread already followed keeps its cursor. */
  Future<Void> initCursor(String threadId, long afterSeq, String actorId) {
    return pool.preparedQuery(SQL.get("init_cursor"))
        .execute(Tuple.of(UUID.fromString(threadId), afterSeq, actorId)).mapEmpty();
  }

  /**
   * Turns {@code messages} (one history page, oldest first) into windows: for every member, the messages
   * after the cursor that someone else wrote, not deleted and after the member's read marker. Under the
   * cursor row's lock, so a message another replica already handled is skipped. Returns the number of
   * messages that were new.
   */
  Future<Integer> ingest(String threadId, String actorId, List<Message> messages, List<Receipt> receipts, int delaySeconds) {
    UUID thread = UUID.fromString(threadId);
    return pool.withTransaction(conn -> conn.preparedQuery(SQL.get("init_cursor"))
        .execute(Tuple.of(thread, 0L, actorId))
        .compose(v -> conn.preparedQuery(SQL.get("lock_cursor")).execute(Tuple.of(thread)))
        .compose(rows -> {
          long done = rows.iterator().next().getLong("last_seq");
          List<Message> fresh = messages.stream().filter(m -> m.seq() > done).toList();
          if (fresh.isEmpty()) {
            return Future.succeededFuture(0);
          }
          List<Tuple> windows = new ArrayList<>();
          for (Receipt member : receipts) {
            List<Message> unseen = fresh.stream()
                .filter(m -> tells(m, member.userId()) && m.seq() > member.lastReadSeq())
                .toList();
            if (!unseen.isEmpty()) {
              windows.add(Tuple.of(UUID.randomUUID(), member.userId(), thread, unseen.get(0).seq(),
                  unseen.get(unseen.size() - 1).seq(), delaySeconds));
            }
          }
          long last = fresh.get(fresh.size() - 1).seq();
          Future<?> opened = windows.isEmpty()
              ? Future.succeededFuture()
              : conn.preparedQuery(SQL.get("open_window")).executeBatch(windows);
          return opened
              .compose(v -> conn.preparedQuery(SQL.get("advance_cursor")).execute(Tuple.of(thread, last, actorId)))
              .map(v -> fresh.size());
        }));
  }

  Future<Void> dropRead(String userId, String threadId, long lastReadSeq) {
    return pool.preparedQuery(SQL.get("drop_read")).execute(Tuple.of(userId, UUID.fromString(threadId), lastReadSeq)).mapEmpty();
  }

  Future<Void> dropLeft(String userId, String threadId) {
    return pool.preparedQuery(SQL.get("drop_left")).execute(Tuple.of(userId, UUID.fromString(threadId))).mapEmpty();
  }

  /**
   * Claims up to {@code batch} due notifications ({@code FOR UPDATE SKIP LOCKED}) and keeps them locked while
   * {@code handle} runs for each, then records every outcome in the same transaction. A replica that crashes
   * mid-way loses its connection, its locks and its uncommitted outcomes, so another replica delivers those
   * rows again: at least once, never two replicas at the same time. Returns how many were claimed.
   */
  Future<Integer> dispatch(int batch, Function<Due, Future<Outcome>> handle) {
    return pool.withTransaction(conn -> conn.preparedQuery(SQL.get("claim_due")).execute(Tuple.of(batch)).compose(rows -> {
      List<Future<Void>> all = new ArrayList<>(rows.size());
      for (Row r : rows) {
        Due due = new Due(r.getLong("id"), r.getUUID("delivery_id").toString(), r.getString("user_id"),
            r.getUUID("thread_id").toString(), r.getLong("first_seq"), r.getLong("last_seq"), r.getInteger("attempts"));
        all.add(handle.apply(due)
            // handle recovers its own failures; this only keeps one bug from rolling back the whole batch
            .otherwise(e -> new Failed(String.valueOf(e), 60))
            .compose(outcome -> record(conn, due, outcome)));
      }
      return Future.all(all).map(v -> rows.size());
    }));
  }

  private static Future<Void> record(SqlConnection conn, Due due, Outcome outcome) {
    if (outcome instanceof Delivered) {
      return conn.preparedQuery(SQL.get("delivered")).execute(Tuple.of(due.id())).mapEmpty();
    }
    if (outcome instanceof Dropped d) {
      return conn.preparedQuery(SQL.get("dropped")).execute(Tuple.of(due.id(), d.reason())).mapEmpty();
    }
    Failed f = (Failed) outcome;
    return conn.preparedQuery(SQL.get("failed")).execute(Tuple.of(due.id(), f.retryInSeconds(), truncate(f.error()))).mapEmpty();
  }

  private static String truncate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
