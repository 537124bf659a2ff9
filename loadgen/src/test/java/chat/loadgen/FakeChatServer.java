package chat.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the chat system speaking just enough of the public contract for the load generator's
 * own tests: dev tokens (the token is the user id), thread creation, sends with per-thread seq,
 * {@code message:new} over the raw WebSocket bridge (as binary frames, like Vert.x's raw transport),
 * the badge query and /metrics. It can drop one delivery, or fail every n-th send with 503, so tests
 * can check that the load generator notices.
 */
final class FakeChatServer {
  private final Vertx vertx;
  private final Map<String, AtomicLong> seqs;
  private final Map<String, List<ServerWebSocket>> registrations;
  private final AtomicLong messages;
  private final AtomicInteger sends = new AtomicInteger();
  private final AtomicInteger sockets = new AtomicInteger();
  private volatile int failEvery;
  private volatile boolean dropOne;
  private HttpServer server;

  FakeChatServer(Vertx vertx) {
    this.vertx = vertx;
    this.seqs = new ConcurrentHashMap<>();
    this.registrations = new ConcurrentHashMap<>();
    this.messages = new AtomicLong();
  }

  /**
   * A second gateway of the same system: it shares {@code peer}'s threads and registrations, as the
   * clustered bus would, so a send through either reaches the sockets of both.
   */
  FakeChatServer(Vertx vertx, FakeChatServer peer) {
    this.vertx = vertx;
    this.seqs = peer.seqs;
    this.registrations = peer.registrations;
    this.messages = peer.messages;
  }

  /** Sends answered by this gateway (including failed ones). */
  int sends() {
    return sends.get();
  }

  /** Bridge connections this gateway accepted. */
  int sockets() {
    return sockets.get();
  }

  FakeChatServer failEvery(int n) {
    this.failEvery = n;
    return this;
  }

  FakeChatServer dropOneDelivery() {
    this.dropOne = true;
    return this;
  }

  int start() {
    server = vertx.createHttpServer().webSocketHandler(this::bridge).requestHandler(this::http).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  void stop() {
    server.close().await();
  }

  private void http(HttpServerRequest req) {
    String path = req.path();
    req.body().onSuccess(body -> {
      if (path.equals("/api/dev/token")) {
        json(req, 200, new JsonObject().put("token", body.toJsonObject().getString("userId")));
      } else if (path.equals("/api/threads/unread")) {
        json(req, 200, new JsonObject().put("byThread", new JsonArray()).put("total", messages.get()));
      } else if (path.equals("/api/threads")) {
        String id = UUID.randomUUID().toString();
        seqs.put(id, new AtomicLong());
        json(req, 201, new JsonObject().put("id", id));
      } else if (path.startsWith("/api/threads/") && path.endsWith("/messages")) {
        send(req, path.split("/")[3], body.toJsonObject());
      } else if (path.equals("/health/ready")) {
        json(req, 200, new JsonObject().put("status", "UP"));
      } else if (path.equals("/metrics")) {
        req.response().end("jvm_memory_used_bytes{area=\"heap\",id=\"old\"} " + (1_000_000 + registrations.values().stream()
            .mapToInt(List::size).sum() * 1000L) + "\n");
      } else {
        json(req, 404, new JsonObject().put("error", "not_found"));
      }
    });
  }

  private void send(HttpServerRequest req, String threadId, JsonObject body) {
    int n = sends.incrementAndGet();
    if (failEvery > 0 && n % failEvery == 0) {
      json(req, 503, new JsonObject().put("error", "unavailable"));
      return;
    }
    long seq = seqs.get(threadId).incrementAndGet();
    messages.incrementAndGet();
    JsonObject message = new JsonObject().put("id", UUID.randomUUID().toString()).put("threadId", threadId).put("seq", seq)
        .put("authorId", req.getHeader("Authorization").substring(7)).put("body", body.getString("body"))
        .put("createdAt", "2026-01-01T00:00:00.000Z").putNull("clientMessageId").put("attachments", new JsonArray());
    String frame = new JsonObject().put("type", "rec").put("address", "chat.thread." + threadId)
        .put("body", new JsonObject().put("type", "message:new").put("threadId", threadId).put("message", message)).encode();
    List<ServerWebSocket> sockets = registrations.getOrDefault(threadId, List.of());
    for (int i = 0; i < sockets.size(); i++) {
      if (dropOne && seq == 2 && i == 0) {
        dropOne = false;
        continue;
      }
      sockets.get(i).writeBinaryMessage(Buffer.buffer(frame));
    }
    json(req, 201, new JsonObject().put("message", message));
  }

  private void bridge(ServerWebSocket ws) {
    if (!ws.path().equals("/eventbus/websocket") || ws.query() == null || !ws.query().startsWith("access_token=")) {
      ws.close((short) 1008, "unauthorized");
      return;
    }
    sockets.incrementAndGet();
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if ("register".equals(frame.getString("type"))) {
        String threadId = frame.getString("address").substring("chat.thread.".length());
        registrations.computeIfAbsent(threadId, t -> new CopyOnWriteArrayList<>()).add(ws);
      }
    });
    ws.closeHandler(v -> registrations.values().forEach(l -> l.remove(ws)));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
