package chat.messaging;

import static chat.messaging.PgMessageStore.SQL;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.db.PgErrors;
import chat.shared.model.Timestamps;
import chat.shared.protocol.Messaging.Attachment;
import chat.shared.protocol.Messaging.CreateAttachment;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@link AttachmentRecords} on Postgres; the SQL is in {@code chat/messaging/queries.sql}. */
public final class PgAttachmentRecords implements AttachmentRecords {
  private final Pool pool;

  public PgAttachmentRecords(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Attachment> create(CreateAttachment q, int maxUnsent, long bytesPerDay) {
    UUID thread = UUID.fromString(q.threadId());
    Tuple args = Tuple.of(UUID.fromString(q.attachmentId()), thread, q.userId(), q.name(), q.contentType(), q.size(),
        q.storageKey(), Timestamps.now().atOffset(ZoneOffset.UTC)).addInteger(maxUnsent).addLong(bytesPerDay);
    return PgErrors.guard(pool.withTransaction(c -> c.preparedQuery(SQL.get("lock_uploader"))
        .execute(Tuple.of(q.userId()))
        .compose(v -> c.preparedQuery(SQL.get("create_attachment")).execute(args))
        .compose(rows -> {
          if (rows.size() == 0) {
            return notMemberReason(thread).compose(Future::failedFuture);
          }
          if (!rows.iterator().next().getBoolean("quota_ok")) {
            return Future.failedFuture(new ChatException(ErrorCode.RATE_LIMITED,
                "Upload quota reached: at most " + maxUnsent + " unsent uploads and " + bytesPerDay
                    + " bytes a day; send or wait"));
          }
          return Future.succeededFuture(new Attachment(q.attachmentId(), q.threadId(), q.userId(), q.name(),
              q.contentType(), q.size(), q.storageKey(), null));
        })));
  }

  @Override
  public Future<Attachment> get(String attachmentId, String viewerId) {
    return PgErrors.guard(pool.preparedQuery(SQL.get("attachment"))
        .execute(Tuple.of(UUID.fromString(attachmentId), viewerId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ChatException(ErrorCode.NOT_FOUND, "No such attachment");
          }
          Row r = rows.iterator().next();
          if (viewerId != null && !r.getBoolean("is_member")) {
            throw new ChatException(ErrorCode.NOT_MEMBER);
          }
          return attachment(r);
        }));
  }

  @Override
  public Future<List<Attachment>> sweep(Instant cutoff, int limit) {
    return PgErrors.guard(pool.preparedQuery(SQL.get("expire_unsent_attachments"))
        .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
        .compose(v -> pool.preparedQuery(SQL.get("attachments_to_purge")).execute(Tuple.of(limit)))
        .map(rows -> {
          List<Attachment> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(attachment(r)));
          return out;
        }));
  }

  @Override
  public Future<Integer> purged(List<String> attachmentIds) {
    UUID[] ids = attachmentIds.stream().map(UUID::fromString).toArray(UUID[]::new);
    return PgErrors.guard(pool.preparedQuery(SQL.get("mark_purged"))
        .execute(Tuple.of(ids, Timestamps.now().atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount()));
  }

  private Future<ChatException> notMemberReason(UUID thread) {
    return pool.preparedQuery(SQL.get("thread_exists")).execute(Tuple.of(thread))
        .map(rows -> rows.iterator().next().getBoolean("thread_exists")
            ? new ChatException(ErrorCode.NOT_MEMBER)
            : new ChatException(ErrorCode.THREAD_NOT_FOUND));
  }

  private static Attachment attachment(Row r) {
    UUID message = r.getUUID("message_id");
    return new Attachment(r.getUUID("id").toString(), r.getUUID("thread_id").toString(), r.getString("uploader_id"),
        r.getString("name"), r.getString("content_type"), r.getLong("size"), r.getString("storage_key"),
        message == null ? null : message.toString());
  }
}
