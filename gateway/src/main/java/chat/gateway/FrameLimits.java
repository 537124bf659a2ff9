package chat.gateway;

import chat.gateway.RateLimits.FrameKind;
import chat.shared.bus.Addresses;
import java.util.EnumMap;
import java.util.Map;

/**
 * The limits of inbound bridge frames ({@link FrameKind}): each socket has a token bucket per kind (its
 * {@link Budget}, kept by its transport and touched only on its event loop), and each user one per kind
 * shared by all their sockets on this gateway. Off with the rest of the limits.
 */
final class FrameLimits {
  private final boolean enabled;
  private final Map<FrameKind, RateLimiter> perUser = new EnumMap<>(FrameKind.class);

  FrameLimits(RateLimits limits) {
    this.enabled = limits.enabled();
    for (FrameKind kind : FrameKind.values()) {
      if (kind.perUser != null) {
        perUser.put(kind, new RateLimiter(enabled, kind.perUser.perSecond(), kind.perUser.burst()));
      }
    }
  }

  boolean enabled() {
    return enabled;
  }

  /** Takes a frame of this kind from the socket's budget, then from its user's; false when either is empty. */
  boolean allow(BridgeTransport socket, FrameKind kind) {
    if (!enabled) {
      return true;
    }
    if (!socket.budget().take(kind, System.nanoTime())) {
      return false;
    }
    RateLimiter user = perUser.get(kind);
    return user == null || user.tryAcquire(socket.connection().userId());
  }

  /** The kind of a {@code send} to one of the inbound addresses. */
  static FrameKind kindOf(String address) {
    return switch (address) {
      case Addresses.CLIENT_THREAD_JOIN, Addresses.CLIENT_THREAD_LEAVE -> FrameKind.PRESENCE;
      case Addresses.CLIENT_THREAD_READ -> FrameKind.READ;
      case Addresses.CLIENT_TYPING_START, Addresses.CLIENT_TYPING_STOP -> FrameKind.TYPING;
      default -> FrameKind.SEND;
    };
  }

  /** One socket's token buckets, one per kind; made on the socket's first frame. Not thread-safe. */
  static final class Budget {
    private final double[] tokens = new double[FrameKind.values().length];
    private final long[] atNanos = new long[FrameKind.values().length];

    Budget(long nowNanos) {
      for (FrameKind kind : FrameKind.values()) {
        tokens[kind.ordinal()] = kind.perSocket.burst();
        atNanos[kind.ordinal()] = nowNanos;
      }
    }

    boolean take(FrameKind kind, long nowNanos) {
      int i = kind.ordinal();
      double refill = (nowNanos - atNanos[i]) * kind.perSocket.perSecond() / 1_000_000_000d;
      tokens[i] = Math.min(kind.perSocket.burst(), tokens[i] + Math.max(0, refill));
      atNanos[i] = nowNanos;
      if (tokens[i] >= 1) {
        tokens[i] -= 1;
        return true;
      }
      return false;
    }
  }
}
