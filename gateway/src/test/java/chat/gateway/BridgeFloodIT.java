package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import chat.shared.runtime.ChatMetrics;
import chat.shared.testing.Await;
import chat.shared.testing.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One member floods the bridge with each kind of frame as fast as a raw socket can (reconnecting when it is
 * closed, as an attacker would) while another member sends 10 messages a second over HTTP and a third
 * watches the thread: every send must be accepted and delivered promptly, presence updates must stay few,
 * and the flooding socket must be closed. The numbers measured are in docs/bridge-limits.md; the
 * assertions leave room for a loaded 2-core machine.
 */
class BridgeFloodIT {
  private static final long FLOOD_MS = 10_000;
  /**
   * The goal is 100 ms (docs/bridge-limits.md has the measurements). On a shared, loaded 2-core machine the
   * same sends without a flood may take seconds already, so a flood fails the test only when its p99 is over
   * this and over four times the unflooded p99 (plus this); what fails on an unlimited bridge is that sends
   * time out and the flooder is never closed.
   */
  private static final long P99_LIMIT_MS = 2_000;

  private static GatewaySystem system;
  private static Vertx attackerVertx;
  /** The other members' browsers: their own event loops, as on their own machines. */
  private static Vertx membersVertx;
  private static WebClient http;

  /** One attacker per kind of flood: a user closed for flooding is refused new connections for a while. */
  private final List<String> attackers = java.util.stream.IntStream.range(0, 6).mapToObj(i -> user("attacker" + i)).toList();
  private final String watcher = user("watcher");
  private final String sender = user("sender");

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(BridgeFloodIT.class, env -> {}, RateLimits.defaults(true));
    attackerVertx = Vertx.vertx();
    membersVertx = Vertx.vertx();
    http = WebClient.create(membersVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(system.port));
  }

  @AfterAll
  static void stop() {
    if (attackerVertx != null) {
      Await.result(attackerVertx.close());
    }
    if (membersVertx != null) {
      Await.result(membersVertx.close());
    }
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A socket flooding each kind of frame is closed, other members' sends are all accepted and delivered fast, presence updates stay few")
  void floodsHarmNoOneElse() {
    List<String> members = new ArrayList<>(attackers);
    members.add(watcher);
    String thread = system.createThread(sender, "Flooded", members.toArray(String[]::new));
    String address = Addresses.thread(thread);
    JsonObject ref = new JsonObject().put("threadId", thread);
    List<Kind> kinds = List.of(
        new Kind("send without replyAddress", n -> frame("send", Addresses.CLIENT_MESSAGE_SEND,
            ref.copy().put("body", "spam " + n), false)),
        new Kind("join/leave", n -> frame("send", n % 2 == 0 ? Addresses.CLIENT_THREAD_JOIN : Addresses.CLIENT_THREAD_LEAVE,
            ref, n % 4 < 2)),
        new Kind("typing start/stop", n -> frame("send", n % 2 == 0 ? Addresses.CLIENT_TYPING_START : Addresses.CLIENT_TYPING_STOP,
            ref, true)),
        new Kind("read", n -> frame("send", Addresses.CLIENT_THREAD_READ, ref, n % 2 == 0)),
        new Kind("register/unregister", n -> new JsonObject().put("type", n % 2 == 0 ? "register" : "unregister")
            .put("address", address).encode()),
        new Kind("garbage", n -> "{not json " + n));
    List<String> report = new ArrayList<>();
    try (BridgeClient watching = BridgeClient.connect(membersVertx, system.port, system.token(watcher))) {
      watching.register(address);
      watching.awaitRegistered(system.vertx, address);
      Result baseline = flood(new Kind("no flood", null), null, thread, address, watching);
      report.add(baseline.toString());
      double p99Limit = Math.max(P99_LIMIT_MS, 4 * baseline.p99Ms() + P99_LIMIT_MS);
      String only = System.getProperty("flood.only");
      for (int k = 0; k < kinds.size(); k++) {
        Kind kind = kinds.get(k);
        if (only != null && !kind.name().startsWith(only)) {
          continue;
        }
        Result r = flood(kind, attackers.get(k), thread, address, watching);
        report.add(r.toString());
        System.out.println("BridgeFloodIT " + r + " (unflooded: " + baseline + ")");
        assertEquals(r.sends(), r.accepted(), kind.name() + ": every send accepted: " + r);
        assertEquals(r.sends(), r.delivered(), kind.name() + ": every send delivered: " + r);
        assertTrue(r.p99Ms() < p99Limit, kind.name() + ": message:new p99 over " + p99Limit + " ms: " + r);
        assertTrue(r.presencePerSecond() <= 6.5, kind.name() + ": presence updates per second " + r);
        assertTrue(r.closedForFlooding() >= 1, kind.name() + ": the flooding socket is closed " + r);
        assertTrue(refused(attackers.get(k)), kind.name() + ": the flooder gets no new connection for a while");
      }
    }
    System.out.println("BridgeFloodIT summary\n" + String.join("\n", report));
  }

  private record Kind(String name, LongFunction<String> frame) {}

  private record Result(String kind, int sends, int accepted, int delivered, double p50Ms, double p99Ms,
                        double presencePerSecond, long framesWritten, int closedForFlooding) {
    @Override
    public String toString() {
      return String.format("%s: %d/%d sends accepted, %d delivered, message:new p50 %.1f ms p99 %.1f ms, "
              + "presence updates %.1f/s, attacker wrote %d frames, closed %d times for flooding",
          kind, accepted, sends, delivered, p50Ms, p99Ms, presencePerSecond, framesWritten, closedForFlooding);
    }
  }

  private static String frame(String type, String address, JsonObject body, boolean reply) {
    JsonObject f = new JsonObject().put("type", type).put("address", address).put("body", body);
    if (reply) {
      f.put("replyAddress", "r");
    }
    return f.encode();
  }

  private Result flood(Kind kind, String attacker, String thread, String address, BridgeClient watching) {
    int mark = watching.mark();
    double closedBefore = floodingClosed();
    Flooder flooder = new Flooder(kind.frame(), attacker);
    if (kind.frame() != null) {
      flooder.start();
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Future<Integer>> statuses = new ArrayList<>();
    List<Future<JsonObject>> deliveries = new ArrayList<>();
    long start = System.nanoTime();
    int sends = (int) (FLOOD_MS / 100);
    for (int i = 0; i < sends; i++) {
      long due = start + TimeUnit.MILLISECONDS.toNanos(100L * i);
      Await.pause(Math.max(0, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
      String id = kind.name().replace(' ', '-') + "-" + i;
      long sentAt = System.nanoTime();
      deliveries.add(watching.expect(address, b -> "message:new".equals(b.getString("type"))
              && id.equals(b.getJsonObject("message").getString("clientMessageId")))
          .onSuccess(b -> latencies.add(System.nanoTime() - sentAt)));
      statuses.add(http.post("/api/threads/" + thread + "/messages")
          .putHeader("Authorization", "Bearer " + system.token(sender))
          .sendJsonObject(new JsonObject().put("body", "hello " + i).put("clientMessageId", id))
          .map(resp -> resp.statusCode()));
    }
    long floodNanos = System.nanoTime() - start;
    flooder.stop();
    int accepted = 0;
    for (Future<Integer> s : statuses) {
      try {
        if (Await.result(s) == 201) {
          accepted++;
        }
      } catch (RuntimeException e) {
        // counted as not accepted
      }
    }
    int delivered = 0;
    for (Future<JsonObject> d : deliveries) {
      try {
        Await.result(d);
        delivered++;
      } catch (RuntimeException | AssertionError e) {
        // counted as not delivered
      }
    }
    long presence = watching.eventsSince(mark).stream()
        .filter(e -> "presence:update".equals(e.type()))
        .count();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Result(kind.name(), sends, accepted, delivered, percentile(sorted, 0.50), percentile(sorted, 0.99),
        presence / (floodNanos / 1e9), flooder.written.get(), (int) (floodingClosed() - closedBefore));
  }

  /** Sockets the gateway closed for flooding so far (its own metric: the client may miss the last frame). */
  private static double floodingClosed() {
    return ChatMetrics.registry().counter("chat_bridge_flooding_closed_total").count();
  }

  private static double percentile(List<Long> sortedNanos, double p) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int i = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p * sortedNanos.size()) - 1);
    return sortedNanos.get(Math.max(0, i)) / 1e6;
  }

  /** Whether a new bridge socket of the user is closed by the server at once (a benched flooder). */
  private boolean refused(String user) {
    try (BridgeClient again = BridgeClient.connect(membersVertx, system.port, system.token(user), 0)) {
      return again.awaitClosed(java.time.Duration.ofSeconds(3));
    } catch (RuntimeException e) {
      return true; // closed before the handshake finished
    }
  }

  /** A raw bridge socket writing frames as fast as its write queue allows, reconnecting when it is closed. */
  private final class Flooder {
    private final LongFunction<String> frame;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final ConcurrentLinkedQueue<WebSocketClient> clients = new ConcurrentLinkedQueue<>();
    private final String attacker;

    Flooder(LongFunction<String> frame, String attacker) {
      this.frame = frame;
      this.attacker = attacker;
    }

    void start() {
      attackerVertx.runOnContext(v -> connect());
    }

    void stop() {
      running.set(false);
      for (WebSocketClient c : clients) {
        c.close();
      }
    }

    private void connect() {
      if (!running.get()) {
        return;
      }
      WebSocketClient client = attackerVertx.createWebSocketClient();
      clients.add(client);
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(system.port)
              .setURI("/eventbus/websocket?access_token=" + system.token(attacker)))
          .onSuccess(ws -> {
            ws.textMessageHandler(text -> { });
            ws.binaryMessageHandler(b -> { });
            ws.closeHandler(x -> attackerVertx.setTimer(10, id -> connect()));
            pump(ws);
          })
          .onFailure(t -> attackerVertx.setTimer(50, id -> connect()));
    }

    /** Writes until the queue is full (then again on drain), yielding the event loop between batches. */
    private void pump(WebSocket ws) {
      for (int i = 0; i < 100 && running.get() && !ws.isClosed() && !ws.writeQueueFull(); i++) {
        ws.writeTextMessage(frame.apply(written.getAndIncrement()));
      }
      if (!running.get() || ws.isClosed()) {
        return;
      }
      if (ws.writeQueueFull()) {
        ws.drainHandler(v -> pump(ws));
      } else {
        attackerVertx.runOnContext(v -> pump(ws));
      }
    }
  }
}
