package chat.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestsTest {
  private static ErrorCode codeOf(Runnable r) {
    return assertThrows(ChatException.class, r::run).code();
  }

  @Test
  @DisplayName("A message body is trimmed; blank is empty_message, over 4,000 characters is message_too_long")
  void messageBodies() {
    assertEquals("hi there", Requests.messageBody("  hi there \n", "body"));
    assertEquals(ErrorCode.EMPTY_MESSAGE, codeOf(() -> Requests.messageBody(" \t ", "body")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, codeOf(() -> Requests.messageBody(null, "body")));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG,
        codeOf(() -> Requests.messageBody("x".repeat(4001), "body")));
  }

  @Test
  @DisplayName("4,000 emoji are 4,000 characters, not 8,000 UTF-16 units")
  void countsCodePoints() {
    String emoji = "\uD83D\uDE00".repeat(4000);
    assertEquals(emoji, Requests.messageBody(emoji, "body"));
  }

  @Test
  @DisplayName("A thread id that is not a UUID (path traversal, SQL) is a thread that does not exist")
  void threadIds() {
    assertEquals(ErrorCode.THREAD_NOT_FOUND, codeOf(() -> Requests.threadId("../../etc/passwd")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, codeOf(() -> Requests.threadId("1' OR '1'='1")));
    assertEquals("0a8f4c2e-1b7d-4e8e-9a5b-3c2d1e0f9a8b", Requests.threadId("0A8F4C2E-1B7D-4E8E-9A5B-3C2D1E0F9A8B"));
  }

  @Test
  @DisplayName("User ids accept what identity providers issue and refuse spaces, slashes and control characters")
  void userIds() {
    assertTrue(Requests.isUserId("alice"));
    assertTrue(Requests.isUserId("auth0|abc".replace('|', ':')));
    assertTrue(Requests.isUserId("bob@example.com"));
    assertFalse(Requests.isUserId(""));
    assertFalse(Requests.isUserId("a b"));
    assertFalse(Requests.isUserId("../x/y"));
    assertFalse(Requests.isUserId("x\u0000"));
    assertFalse(Requests.isUserId("x".repeat(129)));
  }

  @Test
  @DisplayName("Any Unicode text is accepted, emoji and other supplementary characters included")
  void unicodeAccepted() {
    assertTrue(Requests.isCleanText("héllo 👋🏽 日本語 \u202e 𝄞"));
    assertTrue(Requests.isCleanText(""));
    assertEquals(3, Requests.length("a😀b"));
  }

  @Test
  @DisplayName("Text with a NUL or an unpaired surrogate is refused as an invalid request naming the field")
  void brokenTextRefused() {
    assertFalse(Requests.isCleanText("a\u0000b"));
    assertFalse(Requests.isCleanText("\ud83d"));
    assertFalse(Requests.isCleanText("x\ud83dy"));
    assertFalse(Requests.isCleanText("\ude00x"));
    assertFalse(Requests.isCleanText("\ude00\ud83d"));
    ChatException e = assertThrows(ChatException.class, () -> Requests.cleanText("\ud83d", "body"));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().contains("'body'"));
    assertEquals(null, Requests.cleanText(null, "body"));
    assertEquals(ErrorCode.INVALID_REQUEST, codeOf(() -> Requests.messageBody("a\u0000b", "body")));
  }

  @Test
  @DisplayName("Titles are 1-200 characters after trimming; clientMessageIds are optional, 1-128 characters")
  void titlesAndClientMessageIds() {
    assertEquals("Lunch", Requests.title("  Lunch ", "title"));
    assertEquals(ErrorCode.INVALID_REQUEST, codeOf(() -> Requests.title("   ", "title")));
    assertEquals(ErrorCode.INVALID_REQUEST, codeOf(() -> Requests.title(null, "title")));
    assertEquals(ErrorCode.INVALID_REQUEST,
        codeOf(() -> Requests.title("t".repeat(201), "title")));
    assertEquals(null, Requests.optionalClientMessageId(null, "clientMessageId"));
    assertEquals("c-1", Requests.optionalClientMessageId("c-1", "clientMessageId"));
    assertEquals(ErrorCode.INVALID_REQUEST,
        codeOf(() -> Requests.optionalClientMessageId("", "clientMessageId")));
    assertEquals(ErrorCode.INVALID_REQUEST,
        codeOf(() -> Requests.optionalClientMessageId("x".repeat(129), "clientMessageId")));
  }

  @Test
  @DisplayName("Member id lists are optional, deduplicated in order, at most 500, and refused whole if one id is bad")
  void userIdLists() {
    assertEquals(List.of(), Requests.userIds(null, "memberIds"));
    assertEquals(List.of("bob", "carol"), Requests.userIds(List.of("bob", "carol", "bob"), "memberIds"));
    assertEquals(ErrorCode.INVALID_REQUEST, codeOf(() -> Requests.userIds(List.of("bob", "../x"), "memberIds")));
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= Requests.MAX_MEMBER_IDS; i++) {
      many.add("u" + i);
    }
    assertEquals(ErrorCode.INVALID_REQUEST, codeOf(() -> Requests.userIds(many, "memberIds")));
  }

  @Test
  @DisplayName("The id checks accept exactly what the documented patterns accept (random and edge strings)")
  void idChecksMatchTheirPatterns() {
    java.util.regex.Pattern userId = java.util.regex.Pattern.compile("[A-Za-z0-9._@:+\\-]{1,128}");
    java.util.regex.Pattern uuid =
        java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    java.util.Random random = new java.util.Random(7);
    String alphabet = "aZ09._@:+-/ |\u00e9\u0000gG-fF";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = n % 3 == 0 ? 36 : random.nextInt(140);
      for (int i = 0; i < length; i++) {
        text.append(n % 3 == 0 && (i == 8 || i == 13 || i == 18 || i == 23) && random.nextInt(10) > 0
            ? '-' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = text.toString();
      assertEquals(userId.matcher(s).matches(), Requests.isUserId(s), s);
      assertEquals(uuid.matcher(s).matches(), Requests.isUuid(s), s);
    }
    assertTrue(Requests.isUuid("0A8F4C2E-1B7D-4E8E-9A5B-3C2D1E0f9a8b"));
    assertFalse(Requests.isUuid("0a8f4c2e-1b7d-4e8e-9a5b-3c2d1e0f9a8g"));
    assertFalse(Requests.isUuid("0a8f4c2e11b7d-4e8e-9a5b-3c2d1e0f9a8b"));
    assertFalse(Requests.isUuid(null));
    assertTrue(Requests.isUserId("x".repeat(128)));
  }
}
