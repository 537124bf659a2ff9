package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystemException;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@link AttachmentStore} on the local filesystem: one file per key in {@code dir} (the one-process run's
 * default). A put copies to a unique temporary name in the same directory and renames it over the key, so
 * readers never see a part.
 */
public final class FsAttachmentStore implements AttachmentStore {
  private final Vertx vertx;
  private final Path dir;

  public FsAttachmentStore(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir.toAbsolutePath().normalize();
    vertx.fileSystem().mkdirsBlocking(this.dir.toString());
  }

  @Override
  public Future<Void> put(String key, Path source, long size) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    String target = file(key);
    String part = dir.resolve(".part-" + UUID.randomUUID()).toString();
    return vertx.fileSystem().copy(source.toString(), part)
        .compose(v -> vertx.fileSystem().move(part, target, new CopyOptions().setReplaceExisting(true)
            .setAtomicMove(true)))
        .recover(err -> vertx.fileSystem().delete(part).transform(ignored -> Future.<Void>failedFuture(
            new ChatException(ErrorCode.UNAVAILABLE, "The attachment store failed: " + err.getMessage()))));
  }

  @Override
  public Future<Void> get(String key, WriteStream<Buffer> to) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    return vertx.fileSystem().open(file(key), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .recover(err -> Future.failedFuture(missing(err)
            ? new ChatException(ErrorCode.NOT_FOUND, "No such attachment")
            : new ChatException(ErrorCode.UNAVAILABLE, "The attachment store failed")))
        .compose(file -> {
          // pipeTo would end `to`; the caller ends it (an HTTP response may still need its trailer).
          return file.pipe().endOnSuccess(false).to(to);
        });
  }

  @Override
  public Future<Void> delete(String key) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    String target = file(key);
    return vertx.fileSystem().delete(target).recover(err -> missing(err)
        ? Future.succeededFuture()
        : Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "The attachment store failed")));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private String file(String key) {
    return dir.resolve(key).toString();
  }

  private static boolean missing(Throwable err) {
    return err instanceof FileSystemException && err.getCause() instanceof NoSuchFileException;
  }
}
