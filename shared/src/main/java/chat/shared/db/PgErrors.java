package chat.shared.db;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Maps a Postgres client failure to the error catalogue: the store being unreachable, closing the
 * connection, timing out (pool connection timeout) or shedding load (SQLSTATE classes 08, 53, 57,
 * 58, serialization failures and deadlocks) is {@code unavailable}, so callers see 503 and may
 * retry; a {@link ChatException} passes through; anything else (a bug) is {@code internal}.
 */
public final class PgErrors {
  public static final String UNIQUE_VIOLATION = "23505";

  private PgErrors() {}

  public static ChatException map(Throwable t) {
    if (t instanceof ChatException || t instanceof ReplyException) {
      return ChatException.from(t);
    }
    if (t instanceof PgException pg) {
      return isUnavailable(pg.getSqlState())
          ? new ChatException(ErrorCode.UNAVAILABLE, "The database is unavailable, try again")
          : new ChatException(ErrorCode.INTERNAL, null);
    }
    if (t instanceof VertxException || t instanceof IOException || t instanceof TimeoutException) {
      return new ChatException(ErrorCode.UNAVAILABLE, "The database is unavailable, try again");
    }
    return ChatException.from(t);
  }

  /** {@code future}, with any failure mapped by {@link #map}. */
  public static <T> Future<T> guard(Future<T> future) {
    return future.recover(t -> Future.failedFuture(map(t)));
  }

  /** Whether {@code t} is Postgres refusing a row for the unique constraint or index {@code constraint}. */
  public static boolean isUniqueViolation(Throwable t, String constraint) {
    return t instanceof PgException pg
        && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }

  static boolean isUnavailable(String sqlState) {
    if (sqlState == null) {
      return true;
    }
    return sqlState.startsWith("08")
        || sqlState.startsWith("53")
        || sqlState.startsWith("57")
        || sqlState.startsWith("58")
        || sqlState.equals("40001")
        || sqlState.equals("40P01");
  }
}
