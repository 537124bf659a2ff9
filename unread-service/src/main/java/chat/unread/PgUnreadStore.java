package chat.unread;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.db.PgErrors;
import chat.shared.db.SqlFile;
import chat.shared.model.Receipt;
import chat.shared.protocol.Unread.Badge;
import chat.shared.protocol.Unread.ThreadUnread;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** {@link UnreadStore} on the messaging schema in Postgres; statements in {@code chat/unread/unread.sql}. */
public final class PgUnreadStore implements UnreadStore {
  private static final SqlFile SQL = SqlFile.load("chat/unread/unread.sql");
  private static final String MARK_READ = SQL.get("mark-read");
  private static final String BADGE = SQL.get("badge");
  private static final String UNREAD_FOR = SQL.get("unread-for");
  private static final String RECEIPTS = SQL.get("receipts");

  private final Pool pool;

  public PgUnreadStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<ReadResult> markRead(String userId, String threadId, UUID lastReadMessageId) {
    return run(MARK_READ, Tuple.of(UUID.fromString(threadId), userId, lastReadMessageId)).map(rows -> {
      Row row = rows.iterator().next();
      requireMember(row);
      if (!row.getBoolean("target_found")) {
        throw new ChatException(ErrorCode.INVALID_REQUEST, "'lastReadMessageId' is not a message of this thread");
      }
      long lastReadSeq = row.getLong("last_read_seq");
      long unread = row.getLong("unread");
      return new ReadResult(lastReadSeq, unread, instant(row, "last_read_at"), row.getBoolean("moved"),
          row.getLong("other_unread") + unread);
    });
  }

  @Override
  public Future<Badge> badge(String userId) {
    return run(BADGE, Tuple.of(userId)).map(rows -> {
      List<ThreadUnread> byThread = new ArrayList<>(rows.size());
      long total = 0;
      for (Row row : rows) {
        long unread = row.getLong("unread");
        byThread.add(new ThreadUnread(row.getUUID("thread_id").toString(), unread));
        total += unread;
      }
      return new Badge(byThread, total);
    });
  }

  @Override
  public Future<List<PairUnread>> unreadFor(Collection<UserThread> pairs) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] userIds = new String[pairs.size()];
    UUID[] threadIds = new UUID[pairs.size()];
    int i = 0;
    for (UserThread p : pairs) {
      userIds[i] = p.userId();
      threadIds[i++] = UUID.fromString(p.threadId());
    }
    return run(UNREAD_FOR, Tuple.tuple().addArrayOfString(userIds).addArrayOfUUID(threadIds)).map(rows -> {
      List<PairUnread> result = new ArrayList<>(rows.size());
      for (Row row : rows) {
        result.add(new PairUnread(row.getString("user_id"), row.getUUID("thread_id").toString(),
            row.getLong("unread"), row.getLong("total")));
      }
      return result;
    });
  }

  @Override
  public Future<List<Receipt>> receipts(String userId, String threadId) {
    return run(RECEIPTS, Tuple.of(UUID.fromString(threadId), userId)).map(rows -> {
      List<Receipt> receipts = new ArrayList<>(rows.size());
      for (Row row : rows) {
        requireMember(row);
        receipts.add(new Receipt(row.getString("user_id"), row.getLong("last_read_seq"), instant(row, "last_read_at")));
      }
      return receipts;
    });
  }

  private Future<RowSet<Row>> run(String sql, Tuple args) {
    return PgErrors.guard(pool.preparedQuery(sql).execute(args));
  }

  private static void requireMember(Row row) {
    if (!row.getBoolean("thread_found")) {
      throw new ChatException(ErrorCode.THREAD_NOT_FOUND, "No such thread");
    }
    if (!row.getBoolean("is_member")) {
      throw new ChatException(ErrorCode.NOT_MEMBER, "You are not a member of this thread");
    }
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
