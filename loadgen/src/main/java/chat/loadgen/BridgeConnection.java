package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One raw-WebSocket bridge connection ({@code /eventbus/websocket?access_token=<jwt>}): registers
 * addresses, pings so the bridge keeps it open, and hands every frame to a listener as text (Vert.x's
 * raw WebSocket transport writes the bridge's frames as binary WebSocket messages, so both kinds count). Error frames
 * and closes are counted by the owner through the listener ({@code frameType "err"}) and {@link #closed()}.
 */
public final class BridgeConnection {
  private final Vertx vertx;
  private final WebSocket socket;
  private long pingTimer = -1;
  private volatile boolean closed;

  private BridgeConnection(Vertx vertx, WebSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
  }

  /**
   * Connects with {@code client} (whose options carry the local source address), then pings every
   * {@code pingMs} (first ping at a random offset so pings of many connections spread out; 0 = never).
   */
  public static Future<BridgeConnection> open(
      Vertx vertx, WebSocketClient client, URI base, String token, long pingMs, Consumer<String> onFrame) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : 80)
        .setURI("/eventbus/websocket?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
        .setConnectTimeout(30_000)
        .setTimeout(30_000);
    return client.connect(options).map(ws -> {
      BridgeConnection c = new BridgeConnection(vertx, ws);
      ws.textMessageHandler(onFrame::accept);
      ws.binaryMessageHandler(buffer -> onFrame.accept(buffer.toString(StandardCharsets.UTF_8)));
      ws.closeHandler(v -> c.stop());
      ws.exceptionHandler(e -> { });
      if (pingMs > 0) {
        long first = 1 + ThreadLocalRandom.current().nextLong(pingMs);
        c.pingTimer = vertx.setTimer(first, t -> c.pingEvery(pingMs));
      }
      return c;
    });
  }

  private void pingEvery(long pingMs) {
    if (closed) {
      return;
    }
    socket.writeTextMessage(BridgeFrames.ping());
    pingTimer = vertx.setPeriodic(pingMs, t -> {
      if (!closed) {
        socket.writeTextMessage(BridgeFrames.ping());
      }
    });
  }

  public Future<Void> register(String address) {
    return socket.writeTextMessage(BridgeFrames.register(address));
  }

  public boolean closed() {
    return closed;
  }

  private void stop() {
    closed = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
  }

  public Future<Void> close() {
    stop();
    return socket.close();
  }
}
