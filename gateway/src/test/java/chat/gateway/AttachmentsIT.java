package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.bus.Addresses;
import chat.shared.testing.Await;
import chat.shared.testing.BridgeClient;
import chat.shared.testing.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Attachments end to end over HTTP and the bridge, on the filesystem store: upload, send, signed links, safe
 * serving, membership, limits while streaming, quotas, and the removal of files.
 */
class AttachmentsIT {
  static final int MAX_BYTES = 64 * 1024;
  static final String URL_KEY = "attachments-it-url-key-attachments-it-url-key";
  static final byte[] PNG = bytes(new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
  private static GatewaySystem system;
  private static Path dir;
  private static Pool pool;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("attachments-it");
    system = GatewaySystem.start(AttachmentsIT.class, env -> {
      env.put("ATTACHMENT_DIR", dir.toString());
      env.put("MAX_ATTACHMENT_BYTES", String.valueOf(MAX_BYTES));
      env.put("ATTACHMENT_URL_KEY", URL_KEY);
      env.put("ATTACHMENT_MAX_UNSENT", "3");
      env.put("ATTACHMENT_BYTES_PER_DAY", String.valueOf(200 * 1024));
      env.put("ATTACHMENT_SWEEP_SECONDS", "1");
    }, null);
    pool = TestEnv.pool(system.vertx, system.config);
  }

  @AfterAll
  static void stop() throws IOException {
    Await.result(pool.close());
    system.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static byte[] bytes(int[] values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A multipart/form-data body with one part {@code field}. */
  static Buffer multipart(String boundary, String field, String fileName, String type, byte[] content) {
    return Buffer.buffer("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
            + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n")
        .appendBytes(content)
        .appendString("\r\n--" + boundary + "--\r\n");
  }

  static Response upload(String token, String thread, String fileName, String type, byte[] content) {
    return uploadPart(token, thread, "file", fileName, type, content);
  }

  static Response uploadPart(String token, String thread, String field, String fileName, String type, byte[] content) {
    String boundary = "b" + UUID.randomUUID();
    var request = system.http.request(HttpMethod.POST, "/api/threads/" + thread + "/attachments")
        .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> r = Await.result(request.sendBuffer(multipart(boundary, field, fileName, type, content)));
    return new Response(r.statusCode(), r.bodyAsString(), r.headers());
  }

  static JsonObject uploaded(String userId, String thread, String fileName, String type, byte[] content) {
    Response r = upload(system.token(userId), thread, fileName, type, content);
    assertEquals(201, r.status(), r.toString());
    return r.json().getJsonObject("attachment");
  }

  static Response send(String userId, String thread, String body, String... attachmentIds) {
    return system.post(system.token(userId), "/api/threads/" + thread + "/messages",
        new JsonObject().put("body", body).put("attachmentIds", new JsonArray(List.of((Object[]) attachmentIds))));
  }

  /** A GET without any header (as an {@code <img src>} or a download link). */
  static HttpResponse<Buffer> fetch(String url) {
    return Await.result(system.http.request(HttpMethod.GET, url).send());
  }

  static void assertFileHeaders(HttpResponse<Buffer> r) {
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    assertEquals("sandbox", r.getHeader("Content-Security-Policy"));
  }

  @Test
  @DisplayName("An image uploaded and sent with an empty body reaches the thread with a signed link that loads without headers, inline, live on the bridge and in history")
  void imageEndToEnd() {
    String alice = user("alice");
    String bob = user("bob");
    String thread = system.createThread(alice, "Pictures", bob);
    byte[] png = concat(PNG, "rest of the picture".getBytes());
    JsonObject attachment = uploaded(alice, thread, "cat.png", "image/png", png);
    assertEquals("cat.png", attachment.getString("name"));
    assertEquals("image/png", attachment.getString("contentType"));
    assertEquals(png.length, attachment.getLong("size"));
    assertTrue(attachment.getString("url").startsWith("/api/attachments/" + attachment.getString("id") + "?exp="));

    try (BridgeClient bobClient = system.bridge(bob)) {
      bobClient.register(Addresses.thread(thread));
      bobClient.awaitRegistered(system.vertx, Addresses.thread(thread));
      Response sent = send(alice, thread, "", attachment.getString("id"));
      assertEquals(201, sent.status(), sent.toString());
      JsonObject message = sent.json().getJsonObject("message");
      assertEquals("", message.getString("body"));
      JsonObject inMessage = message.getJsonArray("attachments").getJsonObject(0);
      assertEquals(attachment.getString("id"), inMessage.getString("id"));
      assertNotNull(inMessage.getString("url"));

      JsonObject live = bobClient.awaitMessage(Addresses.thread(thread), b -> "message:new".equals(b.getString("type")));
      String liveUrl = live.getJsonObject("message").getJsonArray("attachments").getJsonObject(0).getString("url");
      HttpResponse<Buffer> image = fetch(liveUrl);
      assertEquals(200, image.statusCode(), image.bodyAsString());
      assertArrayEquals(png, image.body().getBytes());
      assertEquals("image/png", image.getHeader("Content-Type"));
      assertTrue(image.getHeader("Content-Disposition").startsWith("inline;"), image.getHeader("Content-Disposition"));
      assertFileHeaders(image);
    }

    JsonObject history = system.get(system.token(bob), "/api/threads/" + thread + "/messages").json();
    JsonObject fromHistory = history.getJsonArray("messages").getJsonObject(0).getJsonArray("attachments").getJsonObject(0);
    assertEquals(200, fetch(fromHistory.getString("url")).statusCode());

    Response byToken = system.get(system.token(bob), "/api/attachments/" + attachment.getString("id"));
    assertEquals(200, byToken.status(), byToken.toString());
  }

  @Test
  @DisplayName("A service gets a signed link to a message's attachment through v1 as a member; an outsider and a bad id are refused")
  void serviceApiLink() {
    String alice = user("alice");
    String bob = user("bob");
    String thread = system.createThread(alice, "Reports", bob);
    byte[] pdf = "%PDF-1.4 report".getBytes();
    JsonObject attachment = uploaded(alice, thread, "report.pdf", "application/pdf", pdf);
    assertEquals(201, send(alice, thread, "the report", attachment.getString("id")).status());
    chat.client.ChatClient service = chat.client.ChatClient.on(system.vertx, "archiver", 10_000);
    chat.api.v1.ApiV1.AttachmentLink link = service.attachmentLink(bob, attachment.getString("id")).await();
    assertEquals(thread, link.threadId());
    assertEquals("report.pdf", link.name());
    assertEquals(pdf.length, link.size());
    HttpResponse<Buffer> file = fetch(link.url());
    assertEquals(200, file.statusCode(), file.bodyAsString());
    assertArrayEquals(pdf, file.body().getBytes());
    chat.shared.ChatException outsider = org.junit.jupiter.api.Assertions.assertThrows(chat.shared.ChatException.class,
        () -> service.attachmentLink(user("eve"), attachment.getString("id")).await());
    assertTrue(outsider.code().status() == 403 || outsider.code().status() == 404, outsider.code().toString());
    chat.shared.ChatException bad = org.junit.jupiter.api.Assertions.assertThrows(chat.shared.ChatException.class,
        () -> service.attachmentLink(bob, "../../etc/passwd").await());
    assertEquals(chat.shared.ErrorCode.INVALID_REQUEST, bad.code());
  }

  @Test
  @DisplayName("A PDF, and HTML or SVG disguised as an image, are only ever served as downloads with a safe filename")
  void nothingButRasterImagesInline() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Files");
    JsonObject pdf = uploaded(alice, thread, "rapport d'ete (v2).pdf", "application/pdf", "%PDF-1.7 ...".getBytes());
    JsonObject html = uploaded(alice, thread, "cat.png", "image/png",
        "<html><script>alert(document.cookie)</script></html>".getBytes());
    JsonObject svg = uploaded(alice, thread, "pic.svg", "image/svg+xml",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes());
    assertEquals("application/octet-stream", html.getString("contentType"));
    send(alice, thread, "files", pdf.getString("id"), html.getString("id"), svg.getString("id"));

    HttpResponse<Buffer> pdfFile = fetch(pdf.getString("url"));
    assertEquals(200, pdfFile.statusCode());
    assertEquals("application/pdf", pdfFile.getHeader("Content-Type"));
    String disposition = pdfFile.getHeader("Content-Disposition");
    assertEquals("attachment; filename=\"rapport d_ete (v2).pdf\"; filename*=UTF-8''rapport%20d%27ete%20%28v2%29.pdf",
        disposition);
    assertFileHeaders(pdfFile);
    for (JsonObject disguised : List.of(html, svg)) {
      HttpResponse<Buffer> r = fetch(disguised.getString("url"));
      assertEquals(200, r.statusCode());
      assertTrue(r.getHeader("Content-Disposition").startsWith("attachment;"), r.getHeader("Content-Disposition"));
      assertFalse(r.getHeader("Content-Type").startsWith("image/png"));
      assertFileHeaders(r);
    }
  }

  @Test
  @DisplayName("A forged, expired, re-targeted or incomplete link is refused 403 with an error body, and no link and no token is 401")
  void badLinks() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Links");
    JsonObject a = uploaded(alice, thread, "a.png", "image/png", PNG);
    JsonObject b = uploaded(alice, thread, "b.png", "image/png", PNG);
    String url = a.getString("url");
    String query = url.substring(url.indexOf('?'));
    String sig = url.substring(url.indexOf("&sig=") + 5);
    String exp = url.substring(url.indexOf("exp=") + 4, url.indexOf("&sig="));
    AttachmentLinks past = new AttachmentLinks(URL_KEY.getBytes(StandardCharsets.UTF_8),
        Clock.fixed(Instant.now().minusSeconds(3 * 3600), ZoneOffset.UTC));
    AttachmentLinks otherKey = new AttachmentLinks("another-key".getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    List<String> refused = List.of(
        "/api/attachments/" + b.getString("id") + query,
        "/api/attachments/" + a.getString("id") + "?exp=" + (Long.parseLong(exp) + 3600) + "&sig=" + sig,
        "/api/attachments/" + a.getString("id") + "?exp=" + exp + "&sig=" + sig.substring(1) + "A",
        past.url(a.getString("id")),
        otherKey.url(a.getString("id")),
        "/api/attachments/" + a.getString("id") + "?exp=" + exp,
        "/api/attachments/" + a.getString("id") + "?sig=" + sig);
    for (String bad : refused) {
      HttpResponse<Buffer> r = fetch(bad);
      assertEquals(403, r.statusCode(), bad);
      assertEquals("forbidden", r.bodyAsJsonObject().getString("error"), bad);
    }
    HttpResponse<Buffer> none = fetch("/api/attachments/" + a.getString("id"));
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", none.bodyAsJsonObject().getString("error"));
    assertEquals(200, fetch(url).statusCode());
  }

  @Test
  @DisplayName("A non-member cannot upload, read a file by token, or send an upload; a member cannot send another's upload, one from another thread, or one already sent")
  void membership() {
    String alice = user("alice");
    String bob = user("bob");
    String carol = user("carol");
    String thread = system.createThread(alice, "Members", bob);
    String elsewhere = system.createThread(alice, "Elsewhere");
    JsonObject mine = uploaded(alice, thread, "a.png", "image/png", PNG);
    JsonObject other = uploaded(alice, elsewhere, "b.png", "image/png", PNG);

    Response upload = upload(system.token(carol), thread, "x.txt", "text/plain", "hi".getBytes());
    assertEquals(403, upload.status(), upload.toString());
    assertEquals("not_member", upload.error());
    assertEquals(401, upload(null, thread, "x.txt", "text/plain", "hi".getBytes()).status());
    Response read = system.get(system.token(carol), "/api/attachments/" + mine.getString("id"));
    assertEquals(403, read.status(), read.toString());
    assertEquals("not_member", read.error());
    assertEquals("not_member", send(carol, thread, "mine now", mine.getString("id")).error());

    Response stolen = send(bob, thread, "mine now", mine.getString("id"));
    assertEquals(400, stolen.status(), stolen.toString());
    assertEquals("invalid_request", stolen.error());
    Response crossThread = send(alice, thread, "moved", mine.getString("id"), other.getString("id"));
    assertEquals("invalid_request", crossThread.error(), crossThread.toString());
    // The refused send tied nothing: the upload is still alice's to send, once.
    assertEquals(201, send(alice, thread, "", mine.getString("id")).status());
    assertEquals("invalid_request", send(alice, thread, "again", mine.getString("id")).error());
    assertEquals("invalid_request", send(alice, thread, "", UUID.randomUUID().toString()).error());
    assertEquals("empty_message", send(alice, thread, "").error());
  }

  @Test
  @DisplayName("A body far over the limit is cut off while streaming with 413 attachment_too_large: the server stops reading long before the end")
  void tooLargeWhileStreaming() throws IOException {
    String alice = user("alice");
    String thread = system.createThread(alice, "Big");
    long total = 256L * 1024 * 1024;
    String boundary = "big-boundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    List<String> storedBefore = stored();
    long written = 0;
    String response;
    try (Socket socket = new Socket("127.0.0.1", system.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      // chunked, so no Content-Length tells the server the size in advance
      out.write(("POST /api/threads/" + thread + "/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + system.token(alice) + "\r\n"
          + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      try {
        writeChunk(out, head);
        while (written < total) {
          writeChunk(out, chunk);
          written += chunk.length;
        }
      } catch (IOException closedByServer) {
        // expected: the server answered and closed the connection
      }
      response = readAll(socket.getInputStream());
    }
    assertTrue(response.startsWith("HTTP/1.1 413"), response);
    assertTrue(response.contains("\"error\":\"attachment_too_large\""), response);
    assertTrue(written < total / 4, "the client could write " + written + " of " + total + " bytes");

    Response declared = upload(system.token(alice), thread, "big.bin", "application/octet-stream", new byte[MAX_BYTES + 1]);
    assertEquals(413, declared.status(), declared.toString());
    assertEquals("attachment_too_large", declared.error());
    assertEquals(storedBefore, stored(), "nothing stored");
  }

  private static List<String> stored() throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @DisplayName("A client that asks before sending (Expect: 100-continue) is invited only when allowed: a non-member gets 403 without sending a byte")
  void expectContinue() throws IOException {
    String alice = user("alice");
    String carol = user("carol");
    String thread = system.createThread(alice, "Ask first");
    assertTrue(firstResponseLine(carol, thread).startsWith("HTTP/1.1 403"));
    assertTrue(firstResponseLine(alice, thread).startsWith("HTTP/1.1 100"));
  }

  /** Sends only the headers of an upload with Expect: 100-continue and returns the first line of the answer. */
  private static String firstResponseLine(String userId, String thread) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", system.port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("POST /api/threads/" + thread + "/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + system.token(userId) + "\r\n"
          + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      StringBuilder line = new StringBuilder();
      InputStream in = socket.getInputStream();
      for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    }
  }

  private static void writeChunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    try {
      int n;
      while ((n = in.read(b)) > 0) {
        buffer.write(b, 0, n);
      }
    } catch (IOException reset) {
      // the server may reset after its answer: what was read is the answer
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("Uploads over the unsent cap or the bytes per day answer 429 rate_limited; sending frees the unsent slots but not the bytes")
  void quotas() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Quota");
    byte[] big = new byte[60 * 1024];
    JsonObject one = uploaded(alice, thread, "1.bin", "application/octet-stream", big);
    JsonObject two = uploaded(alice, thread, "2.bin", "application/octet-stream", big);
    uploaded(alice, thread, "3.bin", "application/octet-stream", new byte[10]);
    Response fourth = upload(system.token(alice), thread, "4.bin", "application/octet-stream", new byte[10]);
    assertEquals(429, fourth.status(), fourth.toString());
    assertEquals("rate_limited", fourth.error());

    assertEquals(201, send(alice, thread, "", one.getString("id"), two.getString("id")).status());
    uploaded(alice, thread, "5.bin", "application/octet-stream", big);
    Response overBytes = upload(system.token(alice), thread, "6.bin", "application/octet-stream", big);
    assertEquals(429, overBytes.status(), overBytes.toString());
    assertEquals("rate_limited", overBytes.error());
  }

  @Test
  @DisplayName("Racing sends of one upload tie it to exactly one message; racing uploads stop exactly at the unsent cap")
  void races() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Races");
    String id = uploaded(alice, thread, "once.png", "image/png", PNG).getString("id");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sends.add(system.http.request(HttpMethod.POST, "/api/threads/" + thread + "/messages")
          .putHeader("Authorization", "Bearer " + system.token(alice))
          .sendJsonObject(new JsonObject().put("body", "race " + i).put("attachmentIds", new JsonArray().add(id))));
    }
    Await.result(io.vertx.core.Future.join(sends));
    assertEquals(List.of(201, 400, 400, 400, 400, 400),
        sends.stream().map(f -> f.result().statusCode()).sorted().toList());
    JsonArray history = system.get(system.token(alice), "/api/threads/" + thread + "/messages").json()
        .getJsonArray("messages");
    assertEquals(1, history.size(), "the refused sends stored nothing");

    String bob = user("bob");
    String other = system.createThread(bob, "Cap");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> uploads = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String boundary = "race" + i;
      uploads.add(system.http.request(HttpMethod.POST, "/api/threads/" + other + "/attachments")
          .putHeader("Authorization", "Bearer " + system.token(bob))
          .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
          .sendBuffer(multipart(boundary, "file", i + ".bin", "application/octet-stream", new byte[100])));
    }
    Await.result(io.vertx.core.Future.join(uploads));
    assertEquals(List.of(201, 201, 201, 429, 429, 429),
        uploads.stream().map(f -> f.result().statusCode()).sorted().toList());
  }

  @Test
  @DisplayName("Deleting a message deletes its files, and an upload never sent is removed after a day")
  void filesGo() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Gone");
    JsonObject sent = uploaded(alice, thread, "sent.png", "image/png", PNG);
    JsonObject unsent = uploaded(alice, thread, "unsent.png", "image/png", PNG);
    JsonObject message = send(alice, thread, "", sent.getString("id")).json().getJsonObject("message");
    assertTrue(Files.exists(dir.resolve(sent.getString("id"))));

    assertEquals(204, system.delete(system.token(alice),
        "/api/threads/" + thread + "/messages/" + message.getString("id")).status());
    Await.result(pool.preparedQuery("UPDATE attachments SET created_at = created_at - interval '25 hours' WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(unsent.getString("id")))));
    long deadline = System.currentTimeMillis() + 10_000;
    while ((Files.exists(dir.resolve(sent.getString("id"))) || Files.exists(dir.resolve(unsent.getString("id"))))
        && System.currentTimeMillis() < deadline) {
      Await.pause(100);
    }
    assertFalse(Files.exists(dir.resolve(sent.getString("id"))), "the deleted message's file is removed");
    assertFalse(Files.exists(dir.resolve(unsent.getString("id"))), "the day-old unsent upload is removed");
    for (JsonObject a : List.of(sent, unsent)) {
      HttpResponse<Buffer> r = fetch(a.getString("url"));
      assertEquals(404, r.statusCode());
      assertEquals("not_found", r.bodyAsJsonObject().getString("error"));
    }
    JsonObject tombstone = system.get(system.token(alice), "/api/threads/" + thread + "/messages").json()
        .getJsonArray("messages").getJsonObject(0);
    assertTrue(tombstone.getJsonArray("attachments").isEmpty());
    assertNull(tombstone.getValue("editedAt"));
  }

  @Test
  @DisplayName("An upload without a part named file, or that is not multipart, is 400 invalid_request")
  void malformedUploads() {
    String alice = user("alice");
    String thread = system.createThread(alice, "Malformed");
    Response wrongPart = uploadPart(system.token(alice), thread, "picture", "a.png", "image/png", PNG);
    assertEquals(400, wrongPart.status(), wrongPart.toString());
    assertEquals("invalid_request", wrongPart.error());
    Response json = system.post(system.token(alice), "/api/threads/" + thread + "/attachments", new JsonObject());
    assertEquals(400, json.status(), json.toString());
    assertEquals("invalid_request", json.error());
    Response noThread = upload(system.token(alice), UUID.randomUUID().toString(), "a.png", "image/png", PNG);
    assertEquals(404, noThread.status(), noThread.toString());
    assertEquals("thread_not_found", noThread.error());
  }
}
