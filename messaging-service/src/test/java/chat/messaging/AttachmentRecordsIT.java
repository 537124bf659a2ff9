package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** messaging.attachment.create over the bus: the uploader's quotas hold under concurrent uploads. */
class AttachmentRecordsIT {
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(AttachmentRecordsIT.class, env -> {
      env.put("ATTACHMENT_MAX_UNSENT", "5");
      env.put("ATTACHMENT_BYTES_PER_DAY", "1000");
      env.put("PG_POOL_SIZE", "16");
    });
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private Future<JsonObject> create(String user, String thread, long size) {
    String id = UUID.randomUUID().toString();
    return f.request(Addresses.ATTACHMENT_CREATE, new JsonObject().put("userId", user).put("threadId", thread)
        .put("attachmentId", id).put("name", "f.bin").put("contentType", "application/octet-stream")
        .put("size", size).put("storageKey", id));
  }

  private static List<String> outcomes(List<Future<JsonObject>> all) {
    Await.result(Future.join(all).otherwiseEmpty());
    return all.stream().map(r -> r.succeeded() ? "ok" : (ChatException.from(r.cause())).code().code())
        .sorted().toList();
  }

  @Test
  @DisplayName("Forty concurrent uploads of one user stop exactly at the unsent cap, and at the bytes per day")
  void quotasHoldUnderConcurrency() {
    String thread = f.createThread("alice", "Quota").getString("id");
    List<Future<JsonObject>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(create("alice", thread, 1));
    }
    List<String> unsent = outcomes(all);
    assertEquals(5, unsent.stream().filter("ok"::equals).count(), unsent.toString());
    assertEquals(35, unsent.stream().filter("rate_limited"::equals).count(), unsent.toString());

    String other = f.createThread("bob", "Bytes").getString("id");
    all.clear();
    for (int i = 0; i < 40; i++) {
      all.add(create("bob", other, 300));
    }
    List<String> bytes = outcomes(all);
    assertEquals(3, bytes.stream().filter("ok"::equals).count(), bytes.toString());
  }

  @Test
  @DisplayName("A non-member cannot record an upload, and an unknown thread is thread_not_found")
  void membership() {
    String thread = f.createThread("alice", "Members").getString("id");
    assertEquals(ErrorCode.NOT_MEMBER, (ChatException.from(Await.failure(create("mallory", thread, 1))))
        .code());
    assertEquals(ErrorCode.THREAD_NOT_FOUND,
        (ChatException.from(Await.failure(create("alice", UUID.randomUUID().toString(), 1)))).code());
  }
}
