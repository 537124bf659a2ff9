package chat.shared.testing;

import chat.shared.bus.Addresses;
import chat.shared.bus.BrowserEvents;
import chat.shared.config.ChatConfig.BusRouting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A browser's view of the event-bus bridge for tests: a raw WebSocket to
 * {@code /eventbus/websocket?access_token=} speaking the bridge's JSON frames ({@code register},
 * {@code unregister}, {@code send}, {@code publish}, {@code ping}), every received event kept in arrival order.
 * {@link #expect} answers a {@link Future} (to flag a {@code Checkpoint} with); the other waits block, bounded,
 * and are for test threads only.
 */
public final class BridgeClient implements AutoCloseable {
  public static final long TIMEOUT_SECONDS = Await.TIMEOUT_SECONDS;

  /** A failure reply: {@code failureCode} is the HTTP status, {@code message} the error code. */
  public static final class BridgeFailure extends RuntimeException {
    public final int failureCode;

    BridgeFailure(int failureCode, String message) {
      super(failureCode + " " + message);
      this.failureCode = failureCode;
    }
  }

  /** A received event: the address it came on and its body. */
  public record Event(String address, JsonObject body) {
    public String type() {
      return body.getString("type");
    }
  }

  private record Expectation(int from, String address, Predicate<JsonObject> match, Promise<JsonObject> promise) {}

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<Event> events = new ArrayList<>();
  private final List<JsonObject> errors = new ArrayList<>();
  private final List<Expectation> expectations = new ArrayList<>();
  private final Map<String, Promise<JsonObject>> replies = new ConcurrentHashMap<>();
  private final Promise<Void> closed = Promise.promise();
  private final long pingTimer;
  private int errorsTaken;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket, long pingMs) {
    this.socket = socket;
    try {
      socket.closeHandler(v -> closed.tryComplete());
      socket.textMessageHandler(this::onFrame);
      socket.binaryMessageHandler(buffer -> onFrame(buffer.toString()));
    } catch (IllegalStateException alreadyClosed) {
      closed.tryComplete();
    }
    this.client = client;
    this.vertx = vertx;
    this.pingTimer = pingMs > 0 ? vertx.setPeriodic(pingMs, id -> {
      if (!socket.isClosed()) {
        write(new JsonObject().put("type", "ping"));
      }
    }) : -1;
  }

  /** Connects as the holder of {@code token} (none if null); fails with the HTTP status if the upgrade is refused. */
  public static BridgeClient connect(Vertx vertx, int port, String token) {
    return connect(vertx, port, token, 5000);
  }

  /** As {@link #connect(Vertx, int, String)}, pinging every {@code pingMs} (never if 0), as vertx-eventbus.js does. */
  public static BridgeClient connect(Vertx vertx, int port, String token, long pingMs) {
    return connect(vertx, port, token, pingMs, Map.of());
  }

  /** As {@link #connect(Vertx, int, String, long)}, with these headers on the upgrade request (a proxy's, say). */
  public static BridgeClient connect(Vertx vertx, int port, String token, long pingMs, Map<String, String> headers) {
    WebSocketClient client = vertx.createWebSocketClient();
    String uri = "/eventbus/websocket" + (token == null ? "" : "?access_token=" + token);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    headers.forEach(options::addHeader);
    try {
      WebSocket ws = Await.result(client.connect(options));
      return new BridgeClient(vertx, client, ws, pingMs);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The upgrade failure (for example a 401) of a connection attempt, or null if it connected. */
  public static Throwable connectFailure(Vertx vertx, int port, String rawQuery) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = Await.result(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
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
    Await.result(write(new JsonObject().put("type", "register").put("address", address)));
  }

  public void unregister(String address) {
    write(new JsonObject().put("type", "unregister").put("address", address));
  }

  public void publish(String address, JsonObject body) {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  public void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  /** Sends a request; the future answers its reply frame: {@code type:rec} (body) or {@code type:err} (failureCode, message). */
  public Future<JsonObject> send(String address, Object body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> reply = Promise.promise();
    replies.put(replyAddress, reply);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
    if (headers != null) {
      frame.put("headers", headers);
    }
    write(frame);
    return reply.future();
  }

  /** Sends a request and waits for its reply frame (see {@link #send}). */
  public JsonObject request(String address, Object body) {
    return request(address, body, null);
  }

  public JsonObject request(String address, Object body, JsonObject headers) {
    return replyFrame(address, send(address, body, headers), Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  /** Sends a request and waits up to {@code timeout} for its reply body; a failure reply throws {@link BridgeFailure}. */
  public JsonObject call(String address, JsonObject body, Duration timeout) {
    JsonObject frame = replyFrame(address, send(address, body, new JsonObject()), timeout);
    if ("err".equals(frame.getString("type"))) {
      throw new BridgeFailure(frame.getInteger("failureCode", -1), frame.getString("message", frame.getString("body")));
    }
    return frame.getJsonObject("body");
  }

  /**
   * The first event on {@code address} that matches, among those received from connection on and those to come.
   * Flag a checkpoint on it; the future never fails (a missing event is a checkpoint not reached).
   */
  public Future<JsonObject> expect(String address, Predicate<JsonObject> match) {
    return expect(0, address, match);
  }

  /** As {@link #expect(String, Predicate)}, among the events from cursor {@code from} (see {@link #mark}) on. */
  public Future<JsonObject> expect(int from, String address, Predicate<JsonObject> match) {
    Promise<JsonObject> promise = Promise.promise();
    JsonObject found;
    synchronized (events) {
      found = find(from, address, match);
      if (found == null) {
        expectations.add(new Expectation(from, address, match, promise));
      }
    }
    if (found != null) {
      promise.complete(found);
    }
    return promise.future();
  }

  /** How many events have arrived so far: a cursor for {@link #awaitEvent} and {@link #expect(int, String, Predicate)}. */
  public int mark() {
    synchronized (events) {
      return events.size();
    }
  }

  /** Waits for a message on {@code address} whose body matches, among all received since connecting. */
  public JsonObject awaitMessage(String address, Predicate<JsonObject> match) {
    return awaitEvent(0, address, match, Duration.ofSeconds(TIMEOUT_SECONDS)).body();
  }

  /** The first event at or after {@code from} on {@code address} that matches, waiting up to {@code timeout}. */
  public Event awaitEvent(int from, String address, Predicate<JsonObject> match, Duration timeout) {
    Event found = pollEvent(from, address, match, timeout);
    if (found == null) {
      throw new AssertionError("no matching event on " + address + " within " + timeout
          + "; received since " + from + ": " + eventsSince(from) + "; errors: " + errors());
    }
    return found;
  }

  /** Like {@link #awaitEvent} but answers null on timeout. */
  public Event pollEvent(int from, String address, Predicate<JsonObject> match, Duration timeout) {
    try {
      JsonObject body = expect(from, address, match).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Event(address, body);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      synchronized (events) {
        expectations.removeIf(x -> x.promise().future().isComplete() || x.match() == match);
      }
    }
  }

  /** The events received from cursor {@code from} on. */
  public List<Event> eventsSince(int from) {
    synchronized (events) {
      return List.copyOf(events.subList(Math.min(from, events.size()), events.size()));
    }
  }

  /** Every message body received on {@code address} so far, oldest first. */
  public List<JsonObject> received(String address) {
    return eventsSince(0).stream().filter(e -> e.address().equals(address)).map(Event::body).toList();
  }

  /**
   * Waits until a registration on {@code address} is live: publishes probes on the server's bus until
   * one arrives (the bridge does not acknowledge registrations).
   */
  public void awaitRegistered(Vertx serverVertx, String address) {
    String probe = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      // both ways: the gateway consumes one of them, as its BUS_ROUTING says
      new BrowserEvents(serverVertx, BusRouting.DUAL).publish(new JsonObject().put("type", "probe").put("probe", probe),
          List.of(address));
      if (pollEvent(0, address, b -> probe.equals(b.getString("probe")), Duration.ofMillis(50)) != null) {
        return;
      }
    }
    throw new AssertionError("Registration on " + address + " never became live");
  }

  /**
   * Waits until {@code watcher}'s registration on the thread is visible cluster-wide (the bridge does not
   * acknowledge registrations): {@code actor} starts and stops typing until the watcher sees it.
   */
  public static void awaitVisible(BridgeClient actor, BridgeClient watcher, String threadId, String actorId, Duration wait) {
    String address = Addresses.thread(threadId);
    JsonObject body = new JsonObject().put("threadId", threadId);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      int mark = watcher.mark();
      actor.call(Addresses.CLIENT_TYPING_START, body, wait);
      Event seen = watcher.pollEvent(mark, address,
          e -> "typing:update".equals(e.getString("type")) && e.getJsonArray("userIds").contains(actorId),
          Duration.ofSeconds(1));
      actor.call(Addresses.CLIENT_TYPING_STOP, body, wait);
      if (seen != null) {
        watcher.awaitEvent(mark, address,
            e -> "typing:update".equals(e.getString("type")) && !e.getJsonArray("userIds").contains(actorId), wait);
        return;
      }
    }
    throw new AssertionError("the registration on " + address + " never became visible; errors: " + watcher.errors());
  }

  /** Every error frame that answered no request (a refused register, send or publish), oldest first. */
  public List<JsonObject> errors() {
    synchronized (events) {
      return List.copyOf(errors);
    }
  }

  /** The next error frame not yet taken, waiting a bounded time. */
  public JsonObject nextError() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    synchronized (events) {
      while (errorsTaken >= errors.size()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError("No error frame within " + TIMEOUT_SECONDS + " s");
        }
        try {
          events.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return errors.get(errorsTaken++);
    }
  }

  public boolean isClosed() {
    return closed.future().isComplete() || socket.isClosed();
  }

  /** Waits until the server closes the connection. */
  public boolean awaitClosed() {
    return awaitClosed(Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  public boolean awaitClosed(Duration timeout) {
    try {
      closed.future().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(pingTimer);
    try {
      if (!isClosed()) {
        Await.result(socket.close());
      }
    } catch (RuntimeException ignored) {
      // the other side may already be gone
    }
    client.close();
  }

  private Future<Void> write(JsonObject frame) {
    return socket.writeTextMessage(frame.encode());
  }

  private JsonObject replyFrame(String address, Future<JsonObject> reply, Duration timeout) {
    try {
      return reply.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError("No reply from " + address + " within " + timeout, e);
    } finally {
      replies.values().removeIf(pending -> pending.future() == reply);
    }
  }

  private JsonObject find(int from, String address, Predicate<JsonObject> match) {
    for (int i = from; i < events.size(); i++) {
      Event e = events.get(i);
      if (e.address().equals(address) && match.test(e.body())) {
        return e.body();
      }
    }
    return null;
  }

  private void onFrame(String text) {
    JsonObject frame = new JsonObject(text);
    String address = frame.getString("address");
    Promise<JsonObject> reply = address == null ? null : replies.remove(address);
    if (reply != null) {
      reply.tryComplete(frame);
      return;
    }
    List<Runnable> completions = new ArrayList<>();
    synchronized (events) {
      if ("err".equals(frame.getString("type"))) {
        errors.add(frame);
      } else if (address != null && frame.getValue("body") instanceof JsonObject body) {
        events.add(new Event(address, body));
        int index = events.size() - 1;
        expectations.removeIf(x -> {
          if (index >= x.from() && x.address().equals(address) && x.match().test(body)) {
            completions.add(() -> x.promise().tryComplete(body));
            return true;
          }
          return false;
        });
      }
      events.notifyAll();
    }
    completions.forEach(Runnable::run);
  }
}
