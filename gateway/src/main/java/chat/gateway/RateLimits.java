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
