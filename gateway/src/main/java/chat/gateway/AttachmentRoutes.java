package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.Requests;
import chat.shared.db.Uuids;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.Attachment;
import chat.shared.protocol.Messaging.CheckMember;
import chat.shared.protocol.Messaging.CreateAttachment;
import chat.shared.protocol.Messaging.GetAttachment;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * {@code POST /api/threads/:id/attachments} and {@code GET /api/attachments/:id}.
 *
 * <p>An upload is routed before the {@code /api/*} body handler and kept paused until its caller is known to
 * be a member under the upload rate, so nothing is read for a refused one. Its one part {@code file} is then
 * streamed to a spool file, counted as it arrives: past {@code MAX_ATTACHMENT_BYTES} it is answered 413
 * {@code attachment_too_large} at once and the connection closed, so the rest is never read. Messaging
 * records it (membership and quotas, atomically), then the store takes the spooled file.
 *
 * <p>A download is authorized by a signed link ({@link AttachmentLinks}) or, without one, by a member's Bearer
 * token. Raster images whose first bytes matched are served inline, everything else as a download; every file
 * response carries {@code nosniff} and {@code Content-Security-Policy: sandbox}.
 */
final class AttachmentRoutes {
  /** Room for the multipart boundaries and part headers around the file. */
  static final long MULTIPART_SLACK = 16 * 1024;
  private final Vertx vertx;
  private final TimedBus bus;
  private final TokenVerifier verifier;
  private final UserDirectory users;
  private final AttachmentStore store;
  private final AttachmentLinks links;
  private final RateLimiter uploads;
  private final long maxBytes;
  private final Path spoolDir;

  AttachmentRoutes(Vertx vertx, TimedBus bus, TokenVerifier verifier, UserDirectory users, AttachmentStore store,
                   AttachmentLinks links, RateLimiter uploads, long maxBytes, Path spoolDir) {
    this.vertx = vertx;
    this.bus = bus;
    this.verifier = verifier;
    this.users = users;
    this.store = store;
    this.links = links;
    this.uploads = uploads;
    this.maxBytes = maxBytes;
    this.spoolDir = spoolDir;
  }

  void upload(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.pause();
    String threadId;
    String token;
    try {
      threadId = Requests.threadId(rc.pathParam("id"));
      token = AuthHandler.bearerToken(rc);
      if (token == null) {
        throw new ChatException(ErrorCode.UNAUTHORIZED);
      }
      String length = request.getHeader("Content-Length");
      if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBytes + MULTIPART_SLACK) {
        throw tooLarge();
      }
    } catch (ChatException e) {
      refuse(rc, e);
      return;
    }
    verifier.verify(token)
        .compose(user -> users.ensure(user).map(user))
        .compose(user -> {
          if (!uploads.tryAcquire(user.userId())) {
            throw new ChatException(ErrorCode.RATE_LIMITED, "Too many uploads, slow down");
          }
          return bus.request(Messaging.MEMBER_CHECK, new CheckMember(user.userId(), threadId)).map(user);
        })
        .onSuccess(user -> new Upload(rc, user, threadId).start())
        .onFailure(err -> refuse(rc, err));
  }

  /** Answers an upload with an error and closes the connection: the rest of its body is never read. */
  private static void refuse(RoutingContext rc, Throwable err) {
    if (rc.response().ended() || rc.failed()) {
      return;
    }
    rc.response().putHeader("Connection", "close");
    rc.response().endHandler(v -> rc.request().connection().close());
    rc.fail(err);
  }

  private ChatException tooLarge() {
    return new ChatException(ErrorCode.ATTACHMENT_TOO_LARGE, "The file is over the limit of " + maxBytes + " bytes");
  }

  /** One upload's streaming state, on the request's context. */
  private final class Upload {
    final RoutingContext rc;
    final AuthUser user;
    final String threadId;
    final String id = Uuids.v7().toString();
    final Path spool = spoolDir.resolve(id + ".upload");
    final byte[] head = new byte[FileTypes.SNIFF_BYTES];
    final Promise<Void> written = Promise.promise();
    AsyncFile file;
    boolean sawFile;
    boolean failed;
    long bytes;
    String name;
    String declaredType;

    Upload(RoutingContext rc, AuthUser user, String threadId) {
      this.rc = rc;
      this.user = user;
      this.threadId = threadId;
    }

    void start() {
      HttpServerRequest request = rc.request();
      String type = request.getHeader("Content-Type");
      if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
        fail(Requests.invalid("Upload as multipart/form-data with one part named 'file'"));
        return;
      }
      request.setExpectMultipart(true);
      request.uploadHandler(this::part);
      if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
        // Only now, with the caller known and allowed: a refused client is never invited to send its body.
        rc.response().writeContinue();
      }
      request.exceptionHandler(err -> fail(new ChatException(ErrorCode.INVALID_REQUEST, "The upload broke off")));
      request.endHandler(v -> {
        if (failed) {
          return;
        }
        if (!sawFile) {
          fail(Requests.invalid("Upload as multipart/form-data with one part named 'file'"));
          return;
        }
        written.future().onSuccess(ok -> finish()).onFailure(this::fail);
      });
      request.resume();
    }

    void part(HttpServerFileUpload part) {
      if (failed) {
        return;
      }
      if (sawFile || !"file".equals(part.name())) {
        fail(Requests.invalid("Upload exactly one part, named 'file'"));
        return;
      }
      sawFile = true;
      name = part.filename();
      declaredType = part.contentType();
      part.pause();
      vertx.fileSystem().mkdirs(spoolDir.toString())
          .recover(err -> Future.succeededFuture())
          .compose(v -> vertx.fileSystem().open(spool.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
          .onFailure(err -> fail(new ChatException(ErrorCode.UNAVAILABLE, "Could not store the upload")))
          .onSuccess(f -> {
            file = f;
            if (failed) {
              discard();
              return;
            }
            part.handler(buf -> {
              if (failed) {
                return;
              }
              if (bytes < head.length) {
                buf.getBytes(0, (int) Math.min(buf.length(), head.length - bytes), head, (int) bytes);
              }
              bytes += buf.length();
              if (bytes > maxBytes) {
                part.pause();
                fail(tooLarge());
                return;
              }
              file.write(buf);
              if (file.writeQueueFull()) {
                part.pause();
                file.drainHandler(d -> part.resume());
              }
            });
            part.exceptionHandler(err -> fail(new ChatException(ErrorCode.INVALID_REQUEST, "The upload broke off")));
            part.endHandler(v -> file.close().onComplete(written));
            part.resume();
          });
    }

    void finish() {
      byte[] first = java.util.Arrays.copyOf(head, (int) Math.min(bytes, head.length));
      CreateAttachment create = new CreateAttachment(user.userId(), threadId, id, name,
          FileTypes.decide(declaredType, first), bytes, id);
      bus.request(Messaging.ATTACHMENT_CREATE, create)
          .compose(a -> store.put(a.storageKey(), spool, a.size()).map(a))
          .onComplete(ar -> vertx.fileSystem().delete(spool.toString()))
          .onSuccess(a -> JsonBodies.send(rc, 201, new JsonObject().put("attachment", links.withUrl(a.toClient()))))
          .onFailure(err -> refuse(rc, err));
    }

    void fail(Throwable err) {
      if (failed) {
        return;
      }
      failed = true;
      discard();
      refuse(rc, err);
    }

    void discard() {
      if (file != null) {
        file.close().onComplete(v -> vertx.fileSystem().delete(spool.toString()));
      }
    }
  }

  /** {@code GET /api/attachments/:id} with {@code exp} and {@code sig}; without them, on to the Bearer check. */
  void signed(RoutingContext rc) {
    String exp = MessageRoutes.oneParam(rc, "exp");
    String sig = MessageRoutes.oneParam(rc, "sig");
    if (exp == null && sig == null) {
      rc.next();
      return;
    }
    String id = rc.pathParam("id");
    if (!Requests.isUuid(id) || !links.valid(id, exp, sig)) {
      rc.fail(new ChatException(ErrorCode.FORBIDDEN, "The link is invalid or has expired"));
      return;
    }
    bus.request(Messaging.ATTACHMENT_GET, new GetAttachment(id, null))
        .onSuccess(a -> serve(rc, a))
        .onFailure(rc::fail);
  }

  /** {@code GET /api/attachments/:id} for a member of the file's thread (after the Bearer check). */
  void forMember(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String id = rc.pathParam("id");
    if (!Requests.isUuid(id)) {
      rc.fail(new ChatException(ErrorCode.NOT_FOUND, "No such attachment"));
      return;
    }
    bus.request(Messaging.ATTACHMENT_GET, new GetAttachment(id, caller.userId()))
        .onSuccess(a -> serve(rc, a))
        .onFailure(rc::fail);
  }

  private void serve(RoutingContext rc, Attachment a) {
    HttpServerResponse response = rc.response();
    boolean inline = FileTypes.inline(a.contentType());
    response.setStatusCode(200)
        .putHeader("Content-Type", a.contentType())
        .putHeader("Content-Length", Long.toString(a.size()))
        .putHeader("Content-Disposition", FileTypes.disposition(inline, a.name()))
        .putHeader("Content-Security-Policy", "sandbox")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("Cache-Control", "private, max-age=3600");
    store.get(a.storageKey(), response)
        .onSuccess(v -> response.end())
        .onFailure(err -> {
          if (response.headWritten()) {
            rc.request().connection().close();
          } else {
            response.headers().remove("Content-Length").remove("Content-Disposition");
            rc.fail(err);
          }
        });
  }
}
