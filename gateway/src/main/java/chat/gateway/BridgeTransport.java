package chat.gateway;

import chat.shared.runtime.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one open bridge socket: the SockJS socket, when the client last pinged, how many of
 * its requests await a reply, and writing to it under back-pressure. It is the member that
 * {@link Deliveries} keeps per registered address. Who is on the other end and what they may receive is
 * the socket's {@link Connection} (the authorisation state).
 *
 * <p>The two stay apart because they live in different places: a transport belongs to the one
 * {@link EventBusBridge} instance (event loop) that accepted the socket, while the {@code Connection} is
 * made by the guard before the transport exists (it counts toward the per-user and per-IP limits) and is
 * reached by id from anywhere in the gateway (the inbound façade, the presence heartbeat, member
 * removals), none of which may write to the socket. "Connection" is also the contract's word
 * ({@code connectionId}, {@code chat_bridge_connections}).
 *
 * <p>A client that stops reading must not make the gateway buffer without end: once more than the
 * socket's write-queue limit ({@code BRIDGE_MAX_BUFFERED_BYTES}) waits unsent, the socket is closed
 * instead of written to. Nothing is lost: the client reconnects and catches up from the store by
 * {@code seq}, as after any disconnect.
 */
final class BridgeTransport {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeTransport.class);
  private static final Counter SLOW_CLOSED = ChatMetrics.slowBridgeSockets();

  private final SockJSSocket socket;
  private final Connection connection;
  private volatile long lastPingMs;
  private volatile boolean closed;
  private int pendingReplies;
  private FrameLimits.Budget budget;
  private long refusalWindowStartMs;
  private int refusals;

  BridgeTransport(SockJSSocket socket, Connection connection, long nowMs) {
    this.socket = socket;
    this.connection = connection;
    this.lastPingMs = nowMs;
  }

  SockJSSocket socket() { return socket; }

  Connection connection() { return connection; }

  void pinged(long nowMs) { lastPingMs = nowMs; }

  boolean idleSince(long nowMs, long timeoutMs) { return nowMs - lastPingMs >= timeoutMs; }

  boolean closed() { return closed; }

  void markClosed() { closed = true; }

  /** The socket's frame budget (made on first use; used on the socket's event loop only). */
  FrameLimits.Budget budget() {
    if (budget == null) {
      budget = new FrameLimits.Budget(System.nanoTime());
    }
    return budget;
  }

  /**
   * Counts a refused frame; true when this one makes {@link RateLimits#FLOOD_REFUSALS} within
   * {@link RateLimits#FLOOD_WINDOW_MS} (the socket is flooding).
   */
  synchronized boolean refused(long nowMs) {
    if (nowMs - refusalWindowStartMs >= RateLimits.FLOOD_WINDOW_MS) {
      refusalWindowStartMs = nowMs;
      refusals = 0;
    }
    return ++refusals == RateLimits.FLOOD_REFUSALS;
  }

  /**
   * Writes a last frame, then cuts the connection as soon as the frame has left: a flooding client would
   * otherwise keep the gateway reading its frames until it finished a close handshake. Frames arriving
   * meanwhile are ignored. The caller cuts it anyway with {@link #abort} if the write never completes.
   */
  void closeWith(Buffer lastFrame) {
    if (closed) {
      return;
    }
    closed = true;
    socket.write(lastFrame).onComplete(v -> abort());
  }

  /** Takes a reply slot; false when {@code max} requests of this socket already await a reply. */
  synchronized boolean reserveReply(int max) {
    if (pendingReplies >= max) {
      return false;
    }
    pendingReplies++;
    return true;
  }

  synchronized void replied() { pendingReplies--; }

  /**
   * Writes a frame unless the socket has closed; the buffer may be shared with other sockets. A socket
   * whose client has stopped reading is closed instead.
   */
  void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (socket.writeQueueFull()) {
      SLOW_CLOSED.increment();
      LOG.info("Bridge connection {} of {} from {} closed: its client stopped reading", connection.connectionId(),
          connection.userId(), connection.ip());
      abort();
      return;
    }
    socket.write(frame);
  }

  /**
   * Closes the socket and the TCP connection under it at once. A plain close (of the socket, its HTTP
   * connection or its Netty channel) first queues the WebSocket close frame behind everything unsent and
   * waits for it, which a client that reads nothing never lets happen, so its connection and buffers
   * would stay. Vert.x has no public abort: the channel is closed from the start of its pipeline, past
   * the WebSocket handlers. An xhr session has no connection of its own, and its close needs no handshake.
   */
  void abort() {
    closed = true;
    socket.close();
    RoutingContext rc = socket.routingContext();
    if (rc == null || !"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
      return;
    }
    HttpConnection http = rc.request().connection();
    // internal class: the only way to the Netty channel; there is no public abort (see above)
    if (http instanceof ConnectionBase tcp && tcp.channel().pipeline().firstContext() != null) {
      tcp.channel().pipeline().firstContext().close();
    }
  }
}
