package chat.shared;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Typed reads of request fields. Every wrong type or missing field is an {@code invalid_request}
 * with a message naming the field; nothing is coerced.
 */
public final class Requests {
  public static final int MAX_BODY_CHARS = 4000;
  public static final int MAX_TITLE_CHARS = 200;
  public static final int MAX_USER_ID_CHARS = 128;
  public static final int MAX_CLIENT_MESSAGE_ID_CHARS = 128;
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@:+\\-]{1,128}");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Requests() {}

  public static ChatException invalid(String message) {
    return new ChatException(ErrorCode.INVALID_REQUEST, message);
  }

  public static String requireString(JsonObject body, String field) {
    String s = optionalString(body, field);
    if (s == null) {
      throw invalid("'" + field + "' is required");
    }
    return s;
  }

  public static String optionalString(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid("'" + field + "' must be a string");
    }
    return s;
  }

  public static Long optionalLong(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw invalid("'" + field + "' must be an integer");
  }

  /** A user id as carried in tokens and requests: 1-128 of letters, digits and {@code ._@:+-}. */
  public static boolean isUserId(String s) {
    return s != null && USER_ID.matcher(s).matches();
  }

  public static String requireUserId(JsonObject body, String field) {
    String s = requireString(body, field);
    if (!isUserId(s)) {
      throw invalid("'" + field + "' is not a valid user id");
    }
    return s;
  }

  public static boolean isUuid(String s) {
    return s != null && UUID_TEXT.matcher(s).matches();
  }

  /**
   * A thread id: a thread that cannot exist (not a UUID) is reported as {@code thread_not_found},
   * the same as one that does not exist.
   */
  public static String requireThreadId(JsonObject body, String field) {
    String s = requireString(body, field);
    return threadId(s);
  }

  public static String threadId(String s) {
    if (!isUuid(s)) {
      throw new ChatException(ErrorCode.THREAD_NOT_FOUND, "No such thread");
    }
    return s.toLowerCase();
  }

  /** A message body: trimmed; empty is {@code empty_message}; over 4,000 characters is {@code message_too_long}. */
  public static String messageBody(JsonObject body, String field) {
    String raw = optionalString(body, field);
    String trimmed = raw == null ? "" : raw.strip();
    if (trimmed.isEmpty()) {
      throw new ChatException(ErrorCode.EMPTY_MESSAGE, "The message body is empty");
    }
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_BODY_CHARS) {
      throw new ChatException(ErrorCode.MESSAGE_TOO_LONG, "The message body is over " + MAX_BODY_CHARS + " characters");
    }
    if (trimmed.indexOf('\u0000') >= 0) {
      throw invalid("The message body contains a NUL character");
    }
    return trimmed;
  }

  public static UUID uuid(String s, String field) {
    if (!isUuid(s)) {
      throw invalid("'" + field + "' is not a valid id");
    }
    return UUID.fromString(s);
  }
}
