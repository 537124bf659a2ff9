package chat.system.cluster;

import chat.shared.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A browser's view of the event-bus bridge, over the raw SockJS WebSocket
 * ({@code /eventbus/websocket?access_token=...}): register, request/reply, and every received event kept
 * in arrival order. Blocking calls, for test threads only.
 */
final class BridgeClient implements AutoCloseable {
  /** A failure reply: {@code failureCode} is the HTTP status, {@code message} the error code. */
  static final class BridgeFailure extends RuntimeException {
    final int failureCode;

    BridgeFailure(int failureCode, String message) {
      super(failureCode + " " + message);
      this.failureCode = failureCode;
    }
  }

  /** A received event: the address it came on and its body. */
  record Event(String address, JsonObject body) {
    String type() {
      return body.getString("type");
    }
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Vertx vertx;
  private final long pingTimer;
  private final List<Event> events = new ArrayList<>();
  private final List<JsonObject> errors = new ArrayList<>();
  private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(this::onFrame);
    socket.binaryMessageHandler(frame -> onFrame(frame.toString()));
    socket.closeHandler(v -> closed.complete(null));
    pingTimer = vertx.setPeriodic(5_000, id -> {
      if (!socket.isClosed()) {
        socket.writeTextMessage(new JsonObject().put("type", "ping").encode());
      }
    });
  }

  static BridgeClient connect(Vertx vertx, int port, String token) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket?access_token=" + token))
        .await();
    return new BridgeClient(vertx, client, ws);
  }

  private void onFrame(String text) {
    JsonObject frame = new JsonObject(text);
    String address = frame.getString("address");
    CompletableFuture<JsonObject> reply = address == null ? null : pending.remove(address);
    if (reply != null) {
      if ("err".equals(frame.getString("type"))) {
        reply.completeExceptionally(new BridgeFailure(frame.getInteger("failureCode", -1),
            frame.getString("message", frame.getString("body"))));
      } else {
        reply.complete(frame.getJsonObject("body"));
      }
      return;
    }
    synchronized (events) {
      if ("rec".equals(frame.getString("type"))) {
        events.add(new Event(address, frame.getJsonObject("body")));
      } else if ("err".equals(frame.getString("type"))) {
        errors.add(frame);
      }
      events.notifyAll();
    }
  }

  void register(String address) {
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode()).await();
  }

  /** Sends a request through the bridge and waits for its reply body; a failure reply throws {@link BridgeFailure}. */
  JsonObject request(String address, JsonObject body, Duration timeout) {
    String replyAddress = UUID.randomUUID().toString();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(replyAddress, reply);
    socket.writeTextMessage(new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress).put("headers", new JsonObject()).encode());
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      pending.remove(replyAddress);
      throw new AssertionError("no reply from " + address + " within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** How many events have arrived so far: a cursor for {@link #awaitEvent}. */
  int mark() {
    synchronized (events) {
      return events.size();
    }
  }

  /** The first event at or after {@code from} on {@code address} that matches, waiting up to {@code timeout}. */
  Event awaitEvent(int from, String address, Predicate<JsonObject> match, Duration timeout) {
    Event found = pollEvent(from, address, match, timeout);
    if (found == null) {
      throw new AssertionError("no matching event on " + address + " within " + timeout
          + "; received since " + from + ": " + eventsSince(from) + "; errors: " + errors());
    }
    return found;
  }

  /** Like {@link #awaitEvent} but answers null on timeout. */
  Event pollEvent(int from, String address, Predicate<JsonObject> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (int i = from; i < events.size(); i++) {
          Event e = events.get(i);
          if (e.address().equals(address) && match.test(e.body())) {
            return e;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return null;
        }
        try {
          events.wait(left);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  List<Event> eventsSince(int from) {
    synchronized (events) {
      return List.copyOf(events.subList(Math.min(from, events.size()), events.size()));
    }
  }

  List<JsonObject> errors() {
    synchronized (events) {
      return List.copyOf(errors);
    }
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  /** Waits until the server closes the connection (e.g. its gateway died). */
  boolean awaitClosed(Duration timeout) {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(pingTimer);
    try {
      if (!socket.isClosed()) {
        socket.close().await();
      }
    } catch (RuntimeException ignored) {
      // the other side may already be gone
    }
    client.close();
  }

  /**
   * Waits until {@code watcher}'s registration on the thread is visible cluster-wide (the bridge does not
   * acknowledge registrations): {@code actor} starts and stops typing until the watcher sees it.
   */
  static void awaitVisible(BridgeClient actor, BridgeClient watcher, String threadId, String actorId, Duration wait) {
    String address = Addresses.thread(threadId);
    JsonObject body = new JsonObject().put("threadId", threadId);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      int mark = watcher.mark();
      actor.request(Addresses.CLIENT_TYPING_START, body, wait);
      BridgeClient.Event seen = watcher.pollEvent(mark, address,
          e -> "typing:update".equals(e.getString("type")) && e.getJsonArray("userIds").contains(actorId),
          Duration.ofSeconds(1));
      actor.request(Addresses.CLIENT_TYPING_STOP, body, wait);
      if (seen != null) {
        watcher.awaitEvent(mark, address,
            e -> "typing:update".equals(e.getString("type")) && !e.getJsonArray("userIds").contains(actorId), wait);
        return;
      }
    }
    throw new AssertionError("the registration on " + address + " never became visible; errors: " + watcher.errors());
  }

}
