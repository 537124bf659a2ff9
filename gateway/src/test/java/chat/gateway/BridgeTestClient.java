package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real event-bus bridge client for tests: a raw WebSocket to {@code /eventbus/websocket?access_token=}
 * speaking the bridge's JSON frames ({@code register}, {@code unregister}, {@code send},
 * {@code publish}, {@code ping}). Blocking helpers with timeouts; call them off the event loop.
 */
public final class BridgeTestClient implements AutoCloseable {
  public static final long TIMEOUT_SECONDS = 10;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<String, List<JsonObject>> byAddress = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonObject> errors = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final long pingTimer;

  private BridgeTestClient(Vertx vertx, WebSocketClient client, WebSocket socket, long pingMs) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    try {
      socket.closeHandler(v -> closed.complete(null));
      socket.textMessageHandler(this::onFrame);
      socket.binaryMessageHandler(buffer -> onFrame(buffer.toString()));
    } catch (IllegalStateException alreadyClosed) {
      closed.complete(null);
    }
    this.pingTimer = pingMs > 0 ? vertx.setPeriodic(pingMs, id -> write(new JsonObject().put("type", "ping"))) : -1;
  }

  /** Connects as the holder of {@code token}; fails with the HTTP status if the upgrade is refused. */
  public static BridgeTestClient connect(Vertx vertx, int port, String token) {
    return connect(vertx, port, token, 5000);
  }

  /** As {@link #connect(Vertx, int, String)}, pinging every {@code pingMs} (never if 0), as vertx-eventbus.js does. */
  public static BridgeTestClient connect(Vertx vertx, int port, String token, long pingMs) {
    WebSocketClient client = vertx.createWebSocketClient();
    String uri = "/eventbus/websocket" + (token == null ? "" : "?access_token=" + token);
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)));
      return new BridgeTestClient(vertx, client, ws, pingMs);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The upgrade failure (for example a 401) of a connection attempt, or null if it connected. */
  public static Throwable connectFailure(Vertx vertx, int port, String rawQuery) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/eventbus/websocket" + rawQuery)));
      ws.close();
      return null;
    } catch (RuntimeException e) {
      return e;
    } finally {
      client.close();
    }
  }

  public void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  public void unregister(String address) {
    write(new JsonObject().put("type", "unregister").put("address", address));
  }

  public void publish(String address, JsonObject body) {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  /** Sends a request and waits for the reply frame: {@code type:rec} (body) or {@code type:err} (failureCode, message). */
  public JsonObject request(String address, Object body) {
    return request(address, body, null);
  }

  public JsonObject request(String address, Object body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    replies.put(replyAddress, reply);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
    if (headers != null) {
      frame.put("headers", headers);
    }
    write(frame);
    try {
      return reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("No reply from " + address + " within " + TIMEOUT_SECONDS + " s", e);
    } finally {
      replies.remove(replyAddress);
    }
  }

  public void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  /** The next error frame that answers no request (a refused register, send or publish). */
  public JsonObject nextError() {
    try {
      JsonObject error = errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (error == null) {
        throw new AssertionError("No error frame within " + TIMEOUT_SECONDS + " s");
      }
      return error;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for a message on {@code address} whose body matches. */
  public JsonObject awaitMessage(String address, Predicate<JsonObject> match) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      for (JsonObject body : received(address)) {
        if (match.test(body)) {
          return body;
        }
      }
      pause(20);
    }
    throw new AssertionError("No matching message on " + address + " within " + TIMEOUT_SECONDS + " s; got " + received(address));
  }

  /**
   * Waits until a registration on {@code address} is live: publishes probes on the server's bus until
   * one arrives (the bridge does not acknowledge registrations).
   */
  public void awaitRegistered(Vertx serverVertx, String address) {
    String probe = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      serverVertx.eventBus().publish(address, new JsonObject().put("type", "probe").put("probe", probe));
      for (JsonObject body : received(address)) {
        if (probe.equals(body.getString("probe"))) {
          return;
        }
      }
      pause(50);
    }
    throw new AssertionError("Registration on " + address + " never became live");
  }

  /** Every message body received on {@code address} so far, oldest first. */
  public List<JsonObject> received(String address) {
    return List.copyOf(byAddress.getOrDefault(address, List.of()));
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public boolean awaitClosed() {
    try {
      closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(pingTimer);
    if (!closed.isDone()) {
      try {
        await(socket.close());
      } catch (RuntimeException ignored) {
        // already closing
      }
    }
    client.close();
  }

  private void write(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  private void onFrame(String text) {
    JsonObject frame = new JsonObject(text);
    String address = frame.getString("address");
    CompletableFuture<JsonObject> reply = address == null ? null : replies.get(address);
    if (reply != null) {
      reply.complete(frame);
    } else if ("err".equals(frame.getString("type"))) {
      errors.add(frame);
    } else if (address != null && frame.getValue("body") instanceof JsonObject body) {
      byAddress.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(body);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** Sleeps the test thread (an interrupt fails the test). */
  public static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
