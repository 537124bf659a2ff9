package chat.shared.db;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a Postgres client failure to the error catalogue: the store being unreachable, closing the
 * connection, timing out (pool connection timeout) or shedding load (SQLSTATE classes 08, 53, 57,
 * 58, serialization failures and deadlocks) is {@code unavailable}, so callers see 503 and may
 * retry; a {@link ChatException} passes through; anything else (a bug) is {@code internal}.
 */
public final class PgErrors {
  public static final String UNIQUE_VIOLATION = "23505";

  private static final Logger LOG = LoggerFactory.getLogger(PgErrors.class);

  private PgErrors() {}

  public static ChatException map(Throwable t) {
    if (t instanceof ChatException || t instanceof ReplyException) {
      return ChatException.from(t);
    }
    if (t instanceof PgException pg) {
      if (isUnavailable(pg.getSqlState())) {
        return unavailable(t);
      }
      LOG.error("Unexpected database error {}", pg.getSqlState(), t);
      return new ChatException(ErrorCode.INTERNAL, null);
    }
    if (isConnectionProblem(t)) {
      return unavailable(t);
    }
    LOG.error("Unexpected failure in a database call", t);
    return ChatException.from(t);
  }

  private static ChatException unavailable(Throwable t) {
    LOG.warn("Database unavailable: {}", String.valueOf(t));
    return new ChatException(ErrorCode.UNAVAILABLE, "The database is unavailable, try again");
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

  /**
   * The connection is refused, lost or closed, the pool timed out waiting for a connection or is
   * full: the client reports these as I/O and timeout exceptions or as {@link VertxException}s
   * with fixed messages.
   */
  static boolean isConnectionProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof IOException || c instanceof TimeoutException
          || c instanceof ClosedConnectionException || c instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      if (c instanceof VertxException && c.getMessage() != null) {
        String m = c.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("timeout") || m.contains("closed") || m.contains("connection")) {
          return true;
        }
      }
    }
    return false;
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
