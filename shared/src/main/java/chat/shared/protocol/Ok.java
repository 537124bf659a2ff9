package chat.shared.protocol;

/** The reply of a request whose only answer is that it was done: {@code {"ok":true}}. */
public record Ok(boolean ok) {
  public static final Ok OK = new Ok(true);
}
