package chat.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatExceptionTest {
  @Test
  @DisplayName("Every error code of the contract maps to the contract's HTTP status")
  void catalogueMatchesTheContract() {
    assertEquals(401, ErrorCode.UNAUTHORIZED.status());
    assertEquals(403, ErrorCode.FORBIDDEN.status());
    assertEquals(403, ErrorCode.NOT_MEMBER.status());
    assertEquals(404, ErrorCode.THREAD_NOT_FOUND.status());
    assertEquals(400, ErrorCode.EMPTY_MESSAGE.status());
    assertEquals(413, ErrorCode.MESSAGE_TOO_LONG.status());
    assertEquals(400, ErrorCode.INVALID_REQUEST.status());
    assertEquals(429, ErrorCode.RATE_LIMITED.status());
    assertEquals(503, ErrorCode.UNAVAILABLE.status());
    assertEquals("not_member", ErrorCode.NOT_MEMBER.code());
    assertEquals(ErrorCode.THREAD_NOT_FOUND, ErrorCode.fromCode("thread_not_found"));
  }

  @Test
  @DisplayName("A failure sent over the bus comes back as the same error code and human message")
  void roundTripsOverTheBus() {
    ChatException sent = new ChatException(ErrorCode.NOT_MEMBER, "You are not in this thread");
    ChatException back = ChatException.from(
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, sent.failureCode(), sent.toFailureMessage()));
    assertEquals(ErrorCode.NOT_MEMBER, back.code());
    assertEquals("You are not in this thread", back.getMessage());
  }

  @Test
  @DisplayName("A bus timeout or a missing service is 'unavailable', never a hang or a 500")
  void timeoutsAreUnavailable() {
    assertEquals(ErrorCode.UNAVAILABLE, ChatException.from(new ReplyException(ReplyFailure.TIMEOUT, "t")).code());
    assertEquals(ErrorCode.UNAVAILABLE, ChatException.from(new ReplyException(ReplyFailure.NO_HANDLERS, "n")).code());
  }

  @Test
  @DisplayName("Malformed JSON is 'invalid_request'; an unknown failure is 'internal'")
  void otherFailures() {
    assertEquals(ErrorCode.INVALID_REQUEST, ChatException.from(new DecodeException("bad")).code());
    assertEquals(ErrorCode.INTERNAL, ChatException.from(new IllegalStateException("boom")).code());
    assertEquals(ErrorCode.RATE_LIMITED,
        ChatException.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 429, "rate_limited")).code());
  }
}
