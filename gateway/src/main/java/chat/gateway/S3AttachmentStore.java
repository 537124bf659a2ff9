package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.config.ChatConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link AttachmentStore} on S3-compatible object storage (AWS SDK v2's async client): one object per key in
 * one bucket. A put uploads from the spooled file with its length known (S3 replaces objects atomically); a
 * get streams the object's body to the caller one chunk at a time, asking for the next only when the
 * destination has room. Checksums are sent and checked only where S3 requires them, so S3-compatible servers
 * that lack the newer checksum headers work too.
 */
public final class S3AttachmentStore implements AttachmentStore {
  private final Vertx vertx;
  private final S3AsyncClient client;
  private final String bucket;

  public S3AttachmentStore(Vertx vertx, ChatConfig.S3 config) {
    this(vertx, config, DefaultCredentialsProvider.builder().build());
  }

  /** With explicit credentials (tests); production uses the AWS default chain (env, profile, IRSA...). */
  public S3AttachmentStore(Vertx vertx, ChatConfig.S3 config, AwsCredentialsProvider credentials) {
    this.vertx = vertx;
    this.bucket = config.bucket();
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (config.endpoint() != null) {
      builder.endpointOverride(URI.create(config.endpoint()));
    }
    this.client = builder.build();
  }

  @Override
  public Future<Void> put(String key, Path source, long size) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    return on(client.putObject(b -> b.bucket(bucket).key(key).contentLength(size), AsyncRequestBody.fromFile(source)))
        .mapEmpty();
  }

  @Override
  public Future<Void> get(String key, WriteStream<Buffer> to) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    Context context = vertx.getOrCreateContext();
    CompletableFuture<ResponsePublisher<GetObjectResponse>> response =
        client.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toPublisher());
    return on(response).compose(publisher -> {
      Promise<Void> done = Promise.promise();
      publisher.subscribe(new Pump(context, to, done));
      return done.future();
    });
  }

  @Override
  public Future<Void> delete(String key) {
    if (!AttachmentStore.isKey(key)) {
      return AttachmentStore.badKey();
    }
    return on(client.deleteObject(b -> b.bucket(bucket).key(key))).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      client.close();
      return null;
    });
  }

  /** The SDK's future on the caller's context, its failures in the catalogue. */
  private <T> Future<T> on(CompletableFuture<T> cf) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    cf.whenComplete((value, err) -> context.runOnContext(v -> {
      if (err == null) {
        promise.complete(value);
      } else {
        promise.fail(mapped(err));
      }
    }));
    return promise.future();
  }

  private static ChatException mapped(Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof NoSuchKeyException) {
      return new ChatException(ErrorCode.NOT_FOUND, "No such attachment");
    }
    return new ChatException(ErrorCode.UNAVAILABLE, "The attachment store failed: " + cause.getClass().getSimpleName());
  }

  /** Writes the body's chunks to {@code to} on {@code context}, one request ahead while it has room. */
  private static final class Pump implements Subscriber<ByteBuffer> {
    private final Context context;
    private final WriteStream<Buffer> to;
    private final Promise<Void> done;
    private Subscription subscription;

    Pump(Context context, WriteStream<Buffer> to, Promise<Void> done) {
      this.context = context;
      this.to = to;
      this.done = done;
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      byte[] bytes = new byte[chunk.remaining()];
      chunk.get(bytes);
      context.runOnContext(v -> {
        to.write(Buffer.buffer(bytes));
        if (to.writeQueueFull()) {
          to.drainHandler(d -> subscription.request(1));
        } else {
          subscription.request(1);
        }
      });
    }

    @Override
    public void onError(Throwable t) {
      context.runOnContext(v -> done.tryFail(mapped(t)));
    }

    @Override
    public void onComplete() {
      context.runOnContext(v -> done.tryComplete());
    }
  }
}
