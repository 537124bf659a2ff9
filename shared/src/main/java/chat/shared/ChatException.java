package chat.shared;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A typed failure carrying one {@link ErrorCode}. Stores and handlers throw it; the bus layer turns
 * it into a failed reply ({@link #failureCode()} is the HTTP status, the failure message is the
 * JSON error body) and back again with {@link #from(Throwable)}.
 */
public final class ChatException extends RuntimeException {
  /** The message of the {@code unavailable} a bus request that got no answer in time fails with. */
  public static final String NO_ANSWER_IN_TIME = "The service did not answer in time";

  private final ErrorCode code;

  public ChatException(ErrorCode code, String message) {
    super(message == null ? code.defaultMessage() : message, null, false, false);
    this.code = code;
  }

  public ChatException(ErrorCode code) {
    this(code, null);
  }

  public static ChatException of(ErrorCode code, String message) {
    return new ChatException(code, message);
  }

  public ErrorCode code() { return code; }

  public int failureCode() { return code.status(); }

  /** {@code {"error":"<code>","message":"<human text>"}}, the contract's error body. */
  public JsonObject toJson() {
    return new JsonObject().put("error", code.code()).put("message", getMessage());
  }

  /** The failure message used on internal bus replies: the error body as JSON text. */
  public String toFailureMessage() {
    return toJson().encode();
  }

  /**
   * Maps any failure to a ChatException: a ChatException as is; a bus failure carrying an error body
   * back to its code; a timeout or a missing handler to {@code unavailable}; anything else to
   * {@code internal}.
   */
  public static ChatException from(Throwable t) {
    if (t instanceof ChatException ce) {
      return ce;
    }
    if (t instanceof ReplyException re) {
      switch (re.failureType()) {
        case TIMEOUT:
          return new ChatException(ErrorCode.UNAVAILABLE, NO_ANSWER_IN_TIME);
        case NO_HANDLERS:
          return new ChatException(ErrorCode.UNAVAILABLE, "The service is not running");
        default:
          return fromFailureMessage(re.failureCode(), re.getMessage());
      }
    }
    if (t instanceof DecodeException) {
      return new ChatException(ErrorCode.INVALID_REQUEST, "Malformed JSON");
    }
    return new ChatException(ErrorCode.INTERNAL, null);
  }

  private static ChatException fromFailureMessage(int failureCode, String message) {
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject body = new JsonObject(message);
        ErrorCode code = ErrorCode.fromCode(body.getString("error"));
        if (code != null) {
          return new ChatException(code, body.getString("message"));
        }
      } catch (RuntimeException ignored) {
        // not an error body: fall through
      }
    }
    ErrorCode byCode = ErrorCode.fromCode(message);
    if (byCode != null) {
      return new ChatException(byCode, null);
    }
    return new ChatException(failureCode == 503 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL, null);
  }
}
