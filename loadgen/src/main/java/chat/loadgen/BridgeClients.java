package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * WebSocket clients spread over local source addresses 127.0.0.1, 127.0.0.2, ... so more connections
 * than one address's ephemeral ports (about 28,000) can be opened; connection {@code i} uses source
 * address {@code i / perAddress}.
 */
public final class BridgeClients {
  private final Vertx vertx;
  private final URI base;
  private final int perAddress;
  private final long pingMs;
  private final List<WebSocketClient> clients = new ArrayList<>();

  public BridgeClients(Vertx vertx, URI base, int total, int perAddress, long pingMs) {
    this.vertx = vertx;
    this.base = base;
    this.perAddress = Math.max(1, perAddress);
    this.pingMs = pingMs;
    int addresses = Math.max(1, (total + this.perAddress - 1) / this.perAddress);
    for (int a = 0; a < addresses; a++) {
      WebSocketClientOptions options = new WebSocketClientOptions()
          .setMaxConnections(Math.max(1, Math.min(total, this.perAddress)) + 16)
          .setConnectTimeout(30_000)
          .setTcpNoDelay(true)
          .setMaxFrameSize(1 << 20)
          .setMaxMessageSize(1 << 22);
      if (addresses > 1) {
        options.setLocalAddress(sourceAddress(a));
      }
      clients.add(vertx.createWebSocketClient(options));
    }
  }

  /** The {@code a}-th loopback source address: 127.0.0.1, ..., 127.0.0.254, 127.0.1.1, ... */
  static String sourceAddress(int a) {
    return "127.0." + (a / 254) + "." + (a % 254 + 1);
  }

  public int addresses() {
    return clients.size();
  }

  public Future<BridgeConnection> open(int index, String token, Consumer<String> onFrame) {
    WebSocketClient client = clients.get(Math.min(clients.size() - 1, index / perAddress));
    return BridgeConnection.open(vertx, client, base, token, pingMs, onFrame);
  }

  public Future<Void> close() {
    return Future.all(clients.stream().map(WebSocketClient::close).toList()).mapEmpty();
  }
}
