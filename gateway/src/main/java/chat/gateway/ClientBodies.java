package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonObject;

/**
 * A client's request body (HTTP or bridge) as a record: the authenticated user, and the thread when it
 * comes from the path, are stamped over whatever the client wrote, then the body is decoded, which
 * validates it once ({@link Bodies}). A client never chooses its {@code userId}, a send's deadline or its {@code via}.
 */
final class ClientBodies {
  private ClientBodies() {}

  /** The body, with {@code userId} (and {@code threadId} unless null) stamped, as a {@code type}. */
  static <T> T stamped(Class<T> type, JsonObject body, String userId, String threadId) {
    JsonObject fields = body == null ? new JsonObject() : body.copy();
    fields.put("userId", userId);
    // set by the server only: a send's deadline (MessageSender) and the sending service's name (v1); a client's are dropped
    fields.remove("deadlineMs");
    fields.remove("via");
    if (threadId != null) {
      fields.put("threadId", threadId);
    }
    return Bodies.decode(fields, type);
  }

  /** A bridge frame's {@code {"threadId"}}: join, leave and typing. */
  record ThreadRef(String threadId) {
    ThreadRef {
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** {@code POST /api/threads/:id/members} {@code {"userId"}}: the user to add. */
  record MemberRef(String userId) {
    MemberRef {
      userId = Requests.userId(userId, "userId");
    }
  }
}
