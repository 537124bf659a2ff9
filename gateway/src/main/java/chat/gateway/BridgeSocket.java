package chat.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/**
 * One open bridge socket as the bridge sees it: the SockJS socket, the authenticated {@link Connection}
 * it belongs to, when the client last pinged, and how many of its requests await a reply. It is the
 * member that {@link Deliveries} keeps per registered address.
 */
final class BridgeSocket {
  private final SockJSSocket socket;
  private final Connection connection;
  private volatile long lastPingMs;
  private volatile boolean closed;
  private int pendingReplies;

  BridgeSocket(SockJSSocket socket, Connection connection, long nowMs) {
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

  /** Takes a reply slot; false when {@code max} requests of this socket already await a reply. */
  synchronized boolean reserveReply(int max) {
    if (pendingReplies >= max) {
      return false;
    }
    pendingReplies++;
    return true;
  }

  synchronized void replied() { pendingReplies--; }

  /** Writes a frame unless the socket has closed; the buffer may be shared with other sockets. */
  void write(Buffer frame) {
    if (!closed) {
      socket.write(frame);
    }
  }
}
