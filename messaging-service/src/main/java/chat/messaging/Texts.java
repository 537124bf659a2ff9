package chat.messaging;

import chat.shared.Requests;

/**
 * Text that Postgres can store byte-exact: no NUL characters and no lone UTF-16 surrogates (which
 * have no UTF-8 form and would be silently replaced). Anything else is any Unicode.
 */
final class Texts {
  private Texts() {}

  /** {@code s} unchanged, or {@code invalid_request} naming {@code field}. Null passes. */
  static String clean(String s, String field) {
    if (s != null && !isClean(s)) {
      throw Requests.invalid("'" + field + "' contains a NUL character or an unpaired surrogate");
    }
    return s;
  }

  static boolean isClean(String s) {
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

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
