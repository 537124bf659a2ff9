package chat.gateway;

import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link AttachmentStoreContract} on {@link S3AttachmentStore} against a real S3-compatible server: s3proxy,
 * in this JVM on a free port, over jclouds' in-memory ({@code transient}) blob store, with AWS v4 signatures
 * checked. Path-style addressing, as with most self-hosted S3-compatible servers.
 */
class S3AttachmentStoreIT extends AttachmentStoreContract {
  private static final String IDENTITY = "test-access-key";
  private static final String SECRET = "test-secret-key";
  private static BlobStoreContext blobs;
  private static S3Proxy proxy;
  private static URI endpoint;
  private static int buckets;

  @BeforeAll
  static void startS3() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials(IDENTITY, SECRET).overrides(new Properties())
        .build(BlobStoreContext.class);
    endpoint = URI.create("http://127.0.0.1:" + TestEnv.freePort());
    proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, SECRET).build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    if (blobs != null) {
      blobs.close();
    }
  }

  @Override
  protected AttachmentStore createStore(Vertx vertx) {
    String bucket = "attachments-" + (++buckets);
    blobs.getBlobStore().createContainerInLocation(null, bucket);
    return new S3AttachmentStore(vertx, new ChatConfig.S3(bucket, endpoint.toString(), "us-east-1", true),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, SECRET)));
  }
}
