package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code GET /api/threads/:id/messages} (history by seq, at most 200 a page, default 50) and
 * {@code POST /api/threads/:id/messages} (201 for a new message, 200 for an idempotent replay).
 */
public final class MessageRoutes {
  private static final Pattern NON_NEGATIVE = Pattern.compile("[0-9]{1,18}");

  private final TimedBus bus;
  private final MessageSender sender;

  public MessageRoutes(TimedBus bus, MessageSender sender) {
    this.bus = bus;
    this.sender = sender;
  }

  public void history(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    JsonObject request = new JsonObject().put("userId", caller.userId()).put("threadId", threadId);
    Long before = seqParam(rc, "beforeSeq");
    Long after = seqParam(rc, "afterSeq");
    Long limit = seqParam(rc, "limit");
    if (before != null) {
      request.put("beforeSeq", before);
    }
    if (after != null) {
      request.put("afterSeq", after);
    }
    if (limit != null) {
      request.put("limit", limit);
    }
    bus.request(Addresses.MESSAGE_HISTORY, request)
        .onSuccess(r -> JsonBodies.send(rc, 200, new JsonObject()
            .put("messages", r.getJsonArray("messages"))
            .put("hasMore", r.getBoolean("hasMore", false))))
        .onFailure(rc::fail);
  }

  public void send(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    String threadId = Requests.threadId(rc.pathParam("id"));
    sender.send(caller.userId(), threadId, JsonBodies.object(rc))
        .onSuccess(r -> JsonBodies.send(rc, r.getBoolean("created", true) ? 201 : 200,
            new JsonObject().put("message", r.getJsonObject("message"))))
        .onFailure(rc::fail);
  }

  private static Long seqParam(RoutingContext rc, String name) {
    String value;
    try {
      var values = rc.queryParam(name);
      if (values.size() > 1) {
        throw Requests.invalid("'" + name + "' is given more than once");
      }
      value = values.isEmpty() ? null : values.get(0);
    } catch (IllegalArgumentException e) {
      throw Requests.invalid("Malformed query string");
    }
    if (value == null) {
      return null;
    }
    if (!NON_NEGATIVE.matcher(value).matches()) {
      throw Requests.invalid("'" + name + "' must be a non-negative integer");
    }
    return Long.parseLong(value);
  }
}
