package chat.shared.bus;

/**
 * A request/reply address with the record types of its request and its reply: the one place where an
 * internal address and its shapes meet ({@link Bus#request}, {@link Bus#serve}).
 */
public record Endpoint<Q, R>(String address, Class<Q> requestType, Class<R> replyType) {
  public static <Q, R> Endpoint<Q, R> of(String address, Class<Q> requestType, Class<R> replyType) {
    return new Endpoint<>(address, requestType, replyType);
  }
}
