package chat.system.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;

/** The gateway's HTTP API as a client sees it, on one gateway port. Blocking calls, for test threads only. */
final class ChatHttp {
  private final WebClient web;
  private final int port;

  ChatHttp(Vertx vertx, int port) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setConnectTimeout(3_000).setIdleTimeout(30));
    this.port = port;
  }

  int port() {
    return port;
  }

  /**
   * A dev token; a 503 (retryable by the contract) is retried for up to 30 s, since the first requests
   * between freshly joined nodes wait for subscriptions to spread and TLS handshakes.
   */
  String devToken(String userId) {
    HttpResponse<Buffer> resp = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      resp = web.post("/api/dev/token")
          .sendJsonObject(new JsonObject().put("userId", userId).put("name", userId)).await();
      if (resp.statusCode() != 503) {
        break;
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    expect(200, resp, "dev token");
    return resp.bodyAsJsonObject().getString("token");
  }

  /** Creates a thread with the caller and {@code members}; answers its id. */
  String createThread(String token, String title, String... members) {
    HttpResponse<Buffer> resp = web.post("/api/threads").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("title", title).put("memberIds", new JsonArray(List.of((Object[]) members))))
        .await();
    expect(201, resp, "create thread");
    return resp.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> send(String token, String threadId, String body, String clientMessageId) {
    return web.post("/api/threads/" + threadId + "/messages").bearerTokenAuthentication(token)
        .timeout(15_000)
        .sendJsonObject(new JsonObject().put("body", body).put("clientMessageId", clientMessageId)).await();
  }

  HttpResponse<Buffer> post(String token, String path, JsonObject body) {
    return web.post(path).bearerTokenAuthentication(token).timeout(15_000).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> delete(String token, String path) {
    return web.delete(path).bearerTokenAuthentication(token).timeout(15_000).send().await();
  }

  HttpResponse<Buffer> get(String path) {
    return web.get(path).timeout(10_000).send().await();
  }

  HttpResponse<Buffer> get(String token, String path) {
    return web.get(path).bearerTokenAuthentication(token).timeout(10_000).send().await();
  }

  /** The whole history of a thread, oldest first, page by page. */
  List<JsonObject> history(String token, String threadId) {
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    while (true) {
      HttpResponse<Buffer> resp = web.get("/api/threads/" + threadId + "/messages")
          .addQueryParam("afterSeq", String.valueOf(after)).addQueryParam("limit", "200")
          .bearerTokenAuthentication(token).timeout(15_000).send().await();
      expect(200, resp, "history");
      JsonObject page = resp.bodyAsJsonObject();
      for (Object m : page.getJsonArray("messages")) {
        all.add((JsonObject) m);
      }
      if (!page.getBoolean("hasMore") || page.getJsonArray("messages").isEmpty()) {
        return all;
      }
      after = all.get(all.size() - 1).getLong("seq");
    }
  }

  static void expect(int status, HttpResponse<Buffer> resp, String what) {
    if (resp.statusCode() != status) {
      throw new AssertionError(what + ": expected " + status + " but got " + resp.statusCode() + " " + resp.bodyAsString());
    }
  }

  void close() {
    web.close();
  }
}
