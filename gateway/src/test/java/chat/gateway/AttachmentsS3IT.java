package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.testing.Await;
import chat.shared.testing.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cluster's configuration end to end: the gateway on S3 (a real s3proxy in this JVM), configured only
 * through the environment as in Kubernetes, credentials from the AWS variables' system-property twins.
 */
class AttachmentsS3IT {
  private static final String IDENTITY = "it-access-key";
  private static final String SECRET = "it-secret-key";
  private static final String BUCKET = "chat-attachments";
  private static BlobStoreContext blobs;
  private static S3Proxy proxy;
  private static GatewaySystem system;

  @BeforeAll
  static void start() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials(IDENTITY, SECRET).overrides(new Properties())
        .build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
    URI endpoint = URI.create("http://127.0.0.1:" + TestEnv.freePort());
    proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, SECRET).build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    // The SDK's default chain reads aws.accessKeyId/aws.secretAccessKey before AWS_ACCESS_KEY_ID/..., which
    // a test cannot set for its own JVM.
    System.setProperty("aws.accessKeyId", IDENTITY);
    System.setProperty("aws.secretAccessKey", SECRET);
    system = GatewaySystem.start(AttachmentsS3IT.class, env -> {
      env.put("S3_BUCKET", BUCKET);
      env.put("S3_ENDPOINT", endpoint.toString());
      env.put("S3_PATH_STYLE", "true");
      env.put("ATTACHMENT_URL_KEY", "s3-it-key-s3-it-key-s3-it-key-s3-it-key");
      env.put("ATTACHMENT_SWEEP_SECONDS", "1");
    }, null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    proxy.stop();
    blobs.close();
  }

  @Test
  @DisplayName("With S3_BUCKET set, a file is uploaded to the bucket, served byte for byte through a signed link, and removed from the bucket when its message is deleted")
  void uploadServeDelete() {
    String alice = user("alice");
    String thread = system.createThread(alice, "S3");
    byte[] content = new byte[3 * 1024 * 1024 + 5];
    new Random(7).nextBytes(content);
    String boundary = "b" + UUID.randomUUID();
    Buffer body = AttachmentsIT.multipart(boundary, "file", "data.bin", "application/octet-stream", content);
    HttpResponse<Buffer> up = Await.result(system.http.request(HttpMethod.POST, "/api/threads/" + thread + "/attachments")
        .putHeader("Authorization", "Bearer " + system.token(alice))
        .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary).sendBuffer(body));
    assertEquals(201, up.statusCode(), up.bodyAsString());
    JsonObject attachment = up.bodyAsJsonObject().getJsonObject("attachment");
    BlobStore bucket = blobs.getBlobStore();
    assertTrue(bucket.blobExists(BUCKET, attachment.getString("id")));

    Response sent = system.post(system.token(alice), "/api/threads/" + thread + "/messages",
        new JsonObject().put("body", "the data").put("attachmentIds", new JsonArray(List.of(attachment.getString("id")))));
    assertEquals(201, sent.status(), sent.toString());
    HttpResponse<Buffer> file = Await.result(system.http.request(HttpMethod.GET, attachment.getString("url")).send());
    assertEquals(200, file.statusCode());
    assertArrayEquals(content, file.body().getBytes());

    String messageId = sent.json().getJsonObject("message").getString("id");
    assertEquals(204, system.delete(system.token(alice), "/api/threads/" + thread + "/messages/" + messageId).status());
    long deadline = System.currentTimeMillis() + 10_000;
    while (bucket.blobExists(BUCKET, attachment.getString("id")) && System.currentTimeMillis() < deadline) {
      Await.pause(100);
    }
    assertFalse(bucket.blobExists(BUCKET, attachment.getString("id")), "the object is removed from the bucket");
  }
}
