package chat.shared;

/**
 * The one error catalogue of the system. Every failure that crosses a process boundary (HTTP,
 * bridge or internal bus reply) is one of these codes; the gateway maps them to HTTP in one place
 * ({@code status}). {@code retryable} says whether the same request may succeed later unchanged.
 */
public enum ErrorCode {
  UNAUTHORIZED("unauthorized", 401, false, "A valid bearer token is required"),
  FORBIDDEN("forbidden", 403, false, "Not allowed"),
  NOT_MEMBER("not_member", 403, false, "You are not a member of this thread"),
  THREAD_NOT_FOUND("thread_not_found", 404, false, "No such thread"),
  MESSAGE_NOT_FOUND("message_not_found", 404, false, "No such message in this thread"),
  NOT_FOUND("not_found", 404, false, "No such resource"),
  METHOD_NOT_ALLOWED("method_not_allowed", 405, false, "This method is not allowed on this resource"),
  EMPTY_MESSAGE("empty_message", 400, false, "The message body is empty"),
  MESSAGE_TOO_LONG("message_too_long", 413, false, "The message body is over 4000 characters"),
  ATTACHMENT_TOO_LARGE("attachment_too_large", 413, false, "The file is over the attachment size limit"),
  REQUEST_TOO_LARGE("request_too_large", 413, false, "The request is too large"),
  INVALID_REQUEST("invalid_request", 400, false, "The request is malformed"),
  THREAD_FULL("thread_full", 409, false, "The thread has as many members as it may have"),
  RATE_LIMITED("rate_limited", 429, true, "Too many requests, slow down"),
  UNAVAILABLE("unavailable", 503, true, "A service or store is unavailable, try again"),
  /** Only for sends: the store may have committed; a retry with the same clientMessageId tells. */
  SEND_OUTCOME_UNKNOWN("send_outcome_unknown", 504, true,
      "The message may or may not have been stored: retry with the same clientMessageId"),
  INTERNAL("internal", 500, true, "Unexpected server error");

  private final String code;
  private final int status;
  private final boolean retryable;
  private final String defaultMessage;

  ErrorCode(String code, int status, boolean retryable, String defaultMessage) {
    this.code = code;
    this.status = status;
    this.retryable = retryable;
    this.defaultMessage = defaultMessage;
  }

  public String code() { return code; }

  public int status() { return status; }

  public boolean retryable() { return retryable; }

  public String defaultMessage() { return defaultMessage; }

  public static ErrorCode fromCode(String code) {
    for (ErrorCode c : values()) {
      if (c.code.equals(code)) {
        return c;
      }
    }
    return null;
  }
}
