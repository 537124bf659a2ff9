package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.testing.Await;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one {@link AttachmentStore} suite: every implementation runs it (a subclass per implementation). */
abstract class AttachmentStoreContract {
  protected Vertx vertx;
  protected AttachmentStore store;
  protected Path scratch;

  /** An empty store for this test. */
  protected abstract AttachmentStore createStore(Vertx vertx) throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    vertx = Vertx.vertx();
    scratch = Files.createTempDirectory("attachment-contract");
    store = createStore(vertx);
  }

  @AfterEach
  void tearDownStore() throws Exception {
    Await.result(store.close());
    Await.result(vertx.close());
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Path file(byte[] bytes) throws IOException {
    Path p = scratch.resolve(UUID.randomUUID().toString());
    Files.write(p, bytes);
    return p;
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private byte[] read(String key) {
    Collector out = new Collector();
    Await.result(store.get(key, out));
    return out.bytes.getBytes();
  }

  @Test
  @DisplayName("What is put under a key is read back byte for byte, a multi-megabyte file included")
  void roundTrip() throws IOException {
    byte[] small = "hello".getBytes();
    byte[] large = random(5 * 1024 * 1024 + 17);
    Await.result(store.put("small", file(small), small.length));
    Await.result(store.put("large", file(large), large.length));
    assertArrayEquals(small, read("small"));
    assertArrayEquals(large, read("large"));
  }

  @Test
  @DisplayName("An empty file is stored and read back empty")
  void emptyFile() throws IOException {
    Await.result(store.put("empty", file(new byte[0]), 0));
    assertEquals(0, read("empty").length);
  }

  @Test
  @DisplayName("A put replaces what was under the key, and leaves its source in place")
  void replace() throws IOException {
    Await.result(store.put("k", file("first".getBytes()), 5));
    Path second = file("second!".getBytes());
    Await.result(store.put("k", second, 7));
    assertArrayEquals("second!".getBytes(), read("k"));
    assertTrue(Files.exists(second));
  }

  @Test
  @DisplayName("Reading a key with no bytes fails not_found and writes nothing")
  void missing() {
    Collector out = new Collector();
    Throwable err = Await.failure(store.get("nothing-here", out));
    assertEquals(ErrorCode.NOT_FOUND, ((ChatException) err).code());
    assertEquals(0, out.bytes.length());
  }

  @Test
  @DisplayName("Delete removes the bytes, and deleting again (or a key never put) succeeds")
  void delete() throws IOException {
    Await.result(store.put("gone", file("x".getBytes()), 1));
    Await.result(store.delete("gone"));
    assertEquals(ErrorCode.NOT_FOUND, ((ChatException) Await.failure(store.get("gone", new Collector()))).code());
    Await.result(store.delete("gone"));
    Await.result(store.delete("never-put"));
  }

  @Test
  @DisplayName("Keys that could leave the store's place (paths, dots, empty) are refused and touch nothing")
  void hostileKeys() throws IOException {
    Path source = file("x".getBytes());
    for (String key : new String[] {"../escape", "a/b", ".hidden", "", "..", "a\\b", "x".repeat(201)}) {
      assertEquals(ErrorCode.INVALID_REQUEST, ((ChatException) Await.failure(store.put(key, source, 1))).code(), key);
      assertEquals(ErrorCode.INVALID_REQUEST,
          ((ChatException) Await.failure(store.get(key, new Collector()))).code(), key);
      assertEquals(ErrorCode.INVALID_REQUEST, ((ChatException) Await.failure(store.delete(key))).code(), key);
    }
    assertTrue(Files.notExists(scratch.getParent().resolve("escape")));
  }

  /** Collects what a get writes (tests only: a real caller streams to a response). */
  static final class Collector implements WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
