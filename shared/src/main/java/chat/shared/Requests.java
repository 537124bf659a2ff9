package chat.shared;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules of request fields, each defined once and applied by the records' constructors as a body is
 * decoded ({@link chat.shared.bus.Bodies}). A broken rule is the catalogue's error with a message naming
 * the field: {@code invalid_request} unless the contract names another code.
 */
public final class Requests {
  public static final int MAX_BODY_CHARS = 4000;
  public static final int MAX_TITLE_CHARS = 200;
  public static final int MAX_USER_ID_CHARS = 128;
  public static final int MAX_CLIENT_MESSAGE_ID_CHARS = 128;
  public static final int MAX_MEMBER_IDS = 500;
  public static final int MAX_ATTACHMENTS = 10;
  public static final int MAX_FILE_NAME_CHARS = 255;
  public static final int MAX_SERVICE_NAME_CHARS = 64;
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private Requests() {}

  public static ChatException invalid(String message) {
    return new ChatException(ErrorCode.INVALID_REQUEST, message);
  }

  /** A user id as carried in tokens and requests: 1-128 of letters, digits and {@code ._@:+-}. */
  public static boolean isUserId(String s) {
    // checked on every decode of every body (member lists included): a loop, not a regex
    if (s == null || s.isEmpty() || s.length() > MAX_USER_ID_CHARS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "._@:+-".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** 8-4-4-4-12 hex digits, either case. */
  public static boolean isUuid(String s) {
    if (s == null || s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23
          ? c == '-'
          : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A thread id, lower-cased: one that cannot exist (not a UUID) is reported as {@code thread_not_found},
   * the same as one that does not exist.
   */
  public static String threadId(String s) {
    if (!isUuid(s)) {
      throw new ChatException(ErrorCode.THREAD_NOT_FOUND, "No such thread");
    }
    return s.toLowerCase();
  }

  /** A required field's value: null is {@code invalid_request} naming the field. */
  public static <T> T required(T value, String field) {
    if (value == null) {
      throw invalid("'" + field + "' is required");
    }
    return value;
  }

  /** A required user id. */
  public static String userId(String value, String field) {
    if (!isUserId(required(value, field))) {
      throw invalid("'" + field + "' is not a valid user id");
    }
    return value;
  }

  /**
   * A required service name (a message's {@code via}): 1-64 of lower-case letters, digits and {@code ._-},
   * starting with a letter or digit, so it is safe to show in any client and to log.
   */
  public static String serviceName(String value, String field) {
    if (!SERVICE_NAME.matcher(required(value, field)).matches()) {
      throw invalid("'" + field + "' must be 1-" + MAX_SERVICE_NAME_CHARS
          + " of a-z 0-9 . _ - starting with a letter or digit");
    }
    return value;
  }

  /** A required thread id, lower-cased; one that cannot exist is {@code thread_not_found}. */
  public static String threadId(String value, String field) {
    return threadId(required(value, field));
  }

  /** A required message id, lower-cased; one that cannot exist (not a UUID) is {@code message_not_found}. */
  public static String messageId(String value, String field) {
    if (!isUuid(required(value, field))) {
      throw new ChatException(ErrorCode.MESSAGE_NOT_FOUND, "No such message in this thread");
    }
    return value.toLowerCase();
  }

  /** An optional message id (a UUID), lower-cased; null when absent. */
  public static String optionalMessageId(String value, String field) {
    return value == null ? null : uuid(value, field).toString();
  }

  /**
   * Distinct user ids (at most 500) in the order given; null is empty. Any entry that is not a valid
   * user id makes the whole list {@code invalid_request}.
   */
  public static List<String> userIds(List<String> ids, String field) {
    if (ids == null) {
      return List.of();
    }
    if (ids.size() > MAX_MEMBER_IDS) {
      throw invalid("'" + field + "' may hold at most " + MAX_MEMBER_IDS + " ids");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      if (!isUserId(id)) {
        throw invalid("'" + field + "' must be an array of user ids");
      }
      distinct.add(id);
    }
    return List.copyOf(distinct);
  }

  /** An optional bound: null stays null; otherwise it must lie within {@code [min, max]}. */
  public static Long range(Long value, String field, long min, long max) {
    if (value != null && (value < min || value > max)) {
      throw invalid("'" + field + "' must be between " + min + " and " + max);
    }
    return value;
  }

  /** A required opaque id (a connection or a gateway): 1 to {@code maxChars} characters, not blank. */
  public static String opaqueId(String value, String field, int maxChars) {
    if (required(value, field).isBlank() || value.length() > maxChars) {
      throw invalid("'" + field + "' must be 1-" + maxChars + " characters");
    }
    return value;
  }

  /** An optional display name: trimmed, blank is null, at most 200 characters of clean text. */
  public static String optionalName(String value, String field) {
    String name = cleanText(value, field);
    if (name == null || name.isBlank()) {
      return null;
    }
    name = name.strip();
    if (length(name) > MAX_TITLE_CHARS) {
      throw invalid("'" + field + "' must be at most " + MAX_TITLE_CHARS + " characters");
    }
    return name;
  }

  /** A message body: trimmed; empty is {@code empty_message}; over 4,000 characters is {@code message_too_long}. */
  public static String messageBody(String raw, String field) {
    return messageBody(raw, field, false);
  }

  /** As {@link #messageBody(String, String)}; {@code mayBeEmpty} (a send with attachments) allows "". */
  public static String messageBody(String raw, String field, boolean mayBeEmpty) {
    String trimmed = raw == null ? "" : raw.strip();
    if (trimmed.isEmpty() && !mayBeEmpty) {
      throw new ChatException(ErrorCode.EMPTY_MESSAGE, "The message body is empty");
    }
    if (length(trimmed) > MAX_BODY_CHARS) {
      throw new ChatException(ErrorCode.MESSAGE_TOO_LONG, "The message body is over " + MAX_BODY_CHARS + " characters");
    }
    return cleanText(trimmed, field);
  }

  /** Attachment ids of a send: null is empty; distinct lower-case UUIDs, at most 10. */
  public static List<String> attachmentIds(List<String> ids, String field) {
    if (ids == null) {
      return List.of();
    }
    if (ids.size() > MAX_ATTACHMENTS) {
      throw invalid("'" + field + "' may hold at most " + MAX_ATTACHMENTS + " ids");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      distinct.add(uuid(id, field).toString());
    }
    return List.copyOf(distinct);
  }

  /**
   * A file name as shown to people: its last path segment, control characters dropped, at most 255 characters;
   * blank is {@code "file"}. Never trusted for storage (files are stored under their id).
   */
  public static String fileName(String raw) {
    String name = raw == null ? "" : raw;
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    StringBuilder clean = new StringBuilder();
    name.codePoints().filter(cp -> !Character.isISOControl(cp) && cp != 0x7f && Character.isValidCodePoint(cp)
        && !(cp >= 0xD800 && cp <= 0xDFFF)).forEach(clean::appendCodePoint);
    String result = clean.toString().strip();
    if (result.isEmpty() || result.equals(".") || result.equals("..")) {
      return "file";
    }
    return length(result) <= MAX_FILE_NAME_CHARS ? result
        : result.substring(0, result.offsetByCodePoints(0, MAX_FILE_NAME_CHARS));
  }

  /** A thread title: required, trimmed, 1-200 characters (code points), clean text. */
  public static String title(String raw, String field) {
    String title = cleanText(required(raw, field).strip(), field);
    int length = length(title);
    if (length < 1 || length > MAX_TITLE_CHARS) {
      throw invalid("'" + field + "' must be 1-" + MAX_TITLE_CHARS + " characters");
    }
    return title;
  }

  /** An optional {@code clientMessageId}: null when absent, else 1-128 characters of clean text. */
  public static String optionalClientMessageId(String raw, String field) {
    String id = cleanText(raw, field);
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
