package chat.gateway;

/**
 * Every abuse limit of the gateway, with defaults that suit people rather than machines. All of them
 * are off when {@code CHAT_RATE_LIMITS=off} ({@link chat.shared.config.ChatConfig#rateLimits()}).
 *
 * @param sendsPerSecond  sustained message sends per user (HTTP and bridge share one bucket)
 * @param sendBurst       sends a user may make at once before the sustained rate applies
 * @param typingPerSecond sustained {@code chat.typing.*} frames per user (beyond the per-connection throttle)
 * @param typingBurst     typing frames a user may send at once
 * @param connectionsPerUser live bridge connections per user on one gateway
 * @param connectionsPerIp   live bridge connections per remote IP on one gateway
 * @param registrationsPerSocket addresses one bridge connection may register at the same time
 */
public record RateLimits(
    boolean enabled,
    double sendsPerSecond,
    int sendBurst,
    double typingPerSecond,
    int typingBurst,
    int connectionsPerUser,
    int connectionsPerIp,
    int registrationsPerSocket) {

  /** Typing starts forwarded to the presence store per connection and thread: at most one a second. */
  public static final long TYPING_FORWARD_INTERVAL_MS = 1000;

  /** The hard ceiling of bridge registrations, and of requests awaiting a reply, per socket with limits off. */
  public static final int MAX_BRIDGE_HANDLERS = 10_000;

  /** Requests of one bridge socket that may await a reply at once (limits on). */
  public static final int PENDING_REPLIES_PER_SOCKET = 100;

  /** A sustained rate per second and the burst allowed at once. */
  public record Rate(double perSecond, int burst) {}

  /**
   * The kinds of inbound bridge frame, each limited per socket ({@code perSocket}) and per user
   * ({@code perUser}; for sends and typing the user's budget is {@code sendsPerSecond} and
   * {@code typingPerSecond}, shared with HTTP for sends). A frame over a limit is refused and counted
   * towards {@link #FLOOD_REFUSALS}.
   */
  public enum FrameKind {
    /** Every frame of a socket, pings and malformed ones included. */
    ANY(new Rate(100, 300), null),
    /** {@code chat.thread.join}/{@code leave}: each may change the presence every member of the thread sees. */
    PRESENCE(new Rate(5, 20), new Rate(10, 40)),
    /** {@code chat.thread.read}: a row lock and a sum over all the reader's threads. */
    READ(new Rate(5, 20), new Rate(10, 40)),
    /** {@code register}/{@code unregister}: a membership check and a cluster-wide subscription change. */
    SUBSCRIPTION(new Rate(20, 100), new Rate(50, 600)),
    /** {@code chat.typing.start}/{@code stop}. */
    TYPING(new Rate(10, 30), null),
    /** {@code chat.message.send}. */
    SEND(new Rate(10, 30), null);

    public final Rate perSocket;
    public final Rate perUser;

    FrameKind(Rate perSocket, Rate perUser) {
      this.perSocket = perSocket;
      this.perUser = perUser;
    }
  }

  /**
   * A socket that has this many frames refused (over a limit, or over the pending-reply cap) within
   * {@link #FLOOD_WINDOW_MS} is flooding: it gets the error frame {@code flooding} and is closed.
   */
  public static final int FLOOD_REFUSALS = 200;

  /** The window in which {@link #FLOOD_REFUSALS} refusals make a socket a flooder. */
  public static final long FLOOD_WINDOW_MS = 10_000;

  public static RateLimits defaults(boolean enabled) {
    return new RateLimits(enabled, 10, 30, 20, 50, 20, 200, 500);
  }

  public RateLimits withConnections(int perUser, int perIp) {
    return new RateLimits(enabled, sendsPerSecond, sendBurst, typingPerSecond, typingBurst, perUser, perIp,
        registrationsPerSocket);
  }

  public RateLimits withSends(double perSecond, int burst) {
    return new RateLimits(enabled, perSecond, burst, typingPerSecond, typingBurst, connectionsPerUser,
        connectionsPerIp, registrationsPerSocket);
  }

  public RateLimits withRegistrationsPerSocket(int max) {
    return new RateLimits(enabled, sendsPerSecond, sendBurst, typingPerSecond, typingBurst, connectionsPerUser,
        connectionsPerIp, max);
  }
}
