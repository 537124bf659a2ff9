package chat.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
  public static final int MAX_MEMBER_IDS = 500;
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

  /**
   * An optional array of user ids (at most 500), distinct, in the order given; absent is empty. Any
   * entry that is not a valid user id makes the whole array {@code invalid_request}.
   */
  public static List<String> userIds(JsonObject body, String field) {
    Object raw = body.getValue(field);
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw invalid("'" + field + "' must be an array of user ids");
    }
    if (array.size() > MAX_MEMBER_IDS) {
      throw invalid("'" + field + "' may hold at most " + MAX_MEMBER_IDS + " ids");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object o : array) {
      if (!(o instanceof String id) || !isUserId(id)) {
        throw invalid("'" + field + "' must be an array of user ids");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
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
    if (length(trimmed) > MAX_BODY_CHARS) {
      throw new ChatException(ErrorCode.MESSAGE_TOO_LONG, "The message body is over " + MAX_BODY_CHARS + " characters");
    }
    return cleanText(trimmed, field);
  }

  /** A thread title: required, trimmed, 1-200 characters (code points), clean text. */
  public static String title(JsonObject body, String field) {
    String title = cleanText(requireString(body, field).strip(), field);
    int length = length(title);
    if (length < 1 || length > MAX_TITLE_CHARS) {
      throw invalid("'" + field + "' must be 1-" + MAX_TITLE_CHARS + " characters");
    }
    return title;
  }

  /** An optional {@code clientMessageId}: null when absent, else 1-128 characters of clean text. */
  public static String optionalClientMessageId(JsonObject body, String field) {
    String id = cleanText(optionalString(body, field), field);
    if (id != null && (id.isEmpty() || id.length() > MAX_CLIENT_MESSAGE_ID_CHARS)) {
      throw invalid("'" + field + "' must be 1-" + MAX_CLIENT_MESSAGE_ID_CHARS + " characters");
    }
    return id;
  }

  /**
   * Text that Postgres stores byte-exact: no NUL characters and no unpaired UTF-16 surrogates (they have
   * no UTF-8 form and would be silently replaced); any other Unicode. Returns {@code s} unchanged, null
   * passes; otherwise {@code invalid_request} naming the field.
   */
  public static String cleanText(String s, String field) {
    if (s != null && !isCleanText(s)) {
      throw invalid("'" + field + "' contains a NUL character or an unpaired surrogate");
    }
    return s;
  }

  public static boolean isCleanText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0000' || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** Length in characters as a person counts them (Unicode code points, not UTF-16 units). */
  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  public static UUID uuid(String s, String field) {
    if (!isUuid(s)) {
      throw invalid("'" + field + "' is not a valid id");
    }
    return UUID.fromString(s);
  }
}
