package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  @DisplayName("Any Unicode text is accepted, emoji and other supplementary characters included")
  void unicodeAccepted() {
    assertTrue(Texts.isClean("héllo 👋🏽 日本語 \u202e 𝄞"));
    assertTrue(Texts.isClean(""));
    assertEquals(3, Texts.length("a😀b"));
  }

  @Test
  @DisplayName("Text with a NUL or an unpaired surrogate is refused as an invalid request naming the field")
  void brokenTextRefused() {
    assertFalse(Texts.isClean("a\u0000b"));
    assertFalse(Texts.isClean("\ud83d"));
    assertFalse(Texts.isClean("x\ud83dy"));
    assertFalse(Texts.isClean("\ude00x"));
    assertFalse(Texts.isClean("\ude00\ud83d"));
    ChatException e = assertThrows(ChatException.class, () -> Texts.clean("\ud83d", "body"));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().contains("'body'"));
    assertEquals(null, Texts.clean(null, "body"));
  }
}
