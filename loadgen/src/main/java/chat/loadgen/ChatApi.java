package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.List;

/**
 * The public HTTP API as the load generator uses it: dev-login tokens, threads, sends, the badge query.
 * Calls that set up data fail their future on any unexpected status; the measured calls return the raw
 * response so the caller counts statuses.
 */
public final class ChatApi {
  private final WebClient client;
  private final URI base;

  public ChatApi(Vertx vertx, URI base, int maxConnections) {
    this.base = base;
    WebClientOptions options = new WebClientOptions()
        .setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort() > 0 ? base.getPort() : 80)
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout(5_000)
        .setUserAgentEnabled(false);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1);
    this.client = WebClient.create(vertx, options, pool);
  }

  public URI base() {
    return base;
  }

  /** A dev-login token for {@code userId}; then one authenticated call so the user row exists. */
  public Future<String> login(String userId) {
    return client.post("/api/dev/token")
        .timeout(30_000)
        .sendJsonObject(new JsonObject().put("userId", userId).put("name", userId))
        .compose(r -> expect(r, 200, "dev token for " + userId))
        .map(j -> j.getString("token"))
        .compose(token -> client.get("/api/threads/unread")
            .timeout(30_000)
            .bearerTokenAuthentication(token)
            .send()
            .compose(r -> expect(r, 200, "first call of " + userId))
            .map(ignored -> token));
  }

  /** Creates a thread owned by the caller with the given other members; returns its id. */
  public Future<String> createThread(String token, String title, List<String> memberIds) {
    return client.post("/api/threads")
        .timeout(30_000)
        .bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("title", title).put("memberIds", new JsonArray(memberIds)))
        .compose(r -> expect(r, 201, "create thread " + title))
        .map(j -> j.getString("id"));
  }

  public Future<HttpResponse<Buffer>> send(String token, String threadId, String body, String clientMessageId, long timeoutMs) {
    JsonObject json = new JsonObject().put("body", body);
    if (clientMessageId != null) {
      json.put("clientMessageId", clientMessageId);
    }
    return client.post("/api/threads/" + threadId + "/messages")
        .timeout(timeoutMs)
        .bearerTokenAuthentication(token)
        .sendJsonObject(json);
  }

  /** A send that must be acknowledged (201 or 200); returns the message's seq. */
  public Future<Long> sendAcked(String token, String threadId, String body) {
    return send(token, threadId, body, null, 30_000)
        .compose(r -> r.statusCode() == 200 ? expect(r, 200, "send") : expect(r, 201, "send"))
        .map(j -> j.getJsonObject("message").getLong("seq"));
  }

  public Future<HttpResponse<Buffer>> unread(String token, long timeoutMs) {
    return client.get("/api/threads/unread").timeout(timeoutMs).bearerTokenAuthentication(token).send();
  }

  /** The Prometheus text of {@code /metrics}, or a failed future. */
  public Future<String> metrics() {
    return client.get("/metrics").timeout(10_000).send()
        .compose(r -> r.statusCode() == 200
            ? Future.succeededFuture(r.bodyAsString())
            : Future.failedFuture("/metrics answered " + r.statusCode()));
  }

  public Future<Void> ready(long timeoutMs) {
    return client.get("/health/ready").timeout(timeoutMs).send()
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture() : Future.failedFuture("not ready: " + r.statusCode()));
  }

  public void close() {
    client.close();
  }

  private static Future<JsonObject> expect(HttpResponse<Buffer> r, int status, String what) {
    if (r.statusCode() != status) {
      return Future.failedFuture(what + ": expected " + status + ", got " + r.statusCode() + " " + r.bodyAsString());
    }
    return Future.succeededFuture(r.bodyAsJsonObject());
  }
}
