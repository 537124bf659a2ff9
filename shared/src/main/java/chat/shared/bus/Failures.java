package chat.shared.bus;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed request is answered, in one place for the internal bus and the browser bridge: the
 * failure code is the catalogue's HTTP status; the message is the JSON error body on internal
 * addresses (so the caller gets code and text back) and the bare error code on the bridge, as the
 * contract says. An unexpected failure is logged once, here.
 */
public enum Failures {
  /** Internal addresses: {@code {"error","message"}} as text. */
  ERROR_BODY,
  /** The bridge's inbound addresses: the error code alone. */
  ERROR_CODE;

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  /** The failure as the catalogue's exception; an unexpected one is logged with its stack trace. */
  public static ChatException of(Throwable cause, String address) {
    ChatException e = ChatException.from(cause);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("Unexpected failure on {}", address, cause);
    }
    return e;
  }

  /** The failure message in this format. */
  public String message(ChatException e) {
    return this == ERROR_BODY ? e.toFailureMessage() : e.code().code();
  }
}
