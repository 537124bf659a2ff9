package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the bytes of attachments live (their records are messaging's). Every method streams: no file is
 * ever held whole in memory. Keys are ours (an attachment's id), 1-200 of {@code A-Z a-z 0-9 . _ -} not
 * starting with a dot; any other key fails {@code invalid_request} and touches nothing. Futures fail with a
 * {@link chat.shared.ChatException}: {@code not_found} for a key with no bytes, {@code unavailable} when the
 * storage cannot be reached.
 */
public interface AttachmentStore {
  Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

  /**
   * Stores the {@code size} bytes of the file at {@code source} under {@code key}, replacing what was there.
   * Readers see the old bytes or the new ones, never a part. {@code source} is left in place.
   */
  Future<Void> put(String key, Path source, long size);

  /**
   * Writes the bytes under {@code key} to {@code to} with back-pressure, and does not end it. Fails
   * {@code not_found} before writing anything when there are none.
   */
  Future<Void> get(String key, WriteStream<Buffer> to);

  /** Removes the bytes under {@code key}; removing a key with none succeeds (idempotent). */
  Future<Void> delete(String key);

  /** Releases clients and threads. */
  Future<Void> close();

  static boolean isKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  static <T> Future<T> badKey() {
    return Future.failedFuture(chat.shared.Requests.invalid("Not a storage key"));
  }
}
