package chat.gateway;

import chat.shared.Requests;
import chat.shared.bus.Bodies;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.DeleteMessage;
import chat.shared.protocol.Messaging.EditMessage;
import chat.shared.protocol.Messaging.History;
import chat.shared.protocol.Messaging.SendMessage;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code GET /api/threads/:id/messages} (history by seq, or changes by version with {@code changedAfter};
 * at most 200 a page, default 50), {@code POST /api/threads/:id/messages} (201 for a new message, 200 for
 * an idempotent replay), {@code PATCH} (edit, 200) and {@code DELETE} (204) of {@code .../messages/:messageId}.
 */
public record MessageRoutes(TimedBus bus, MessageSender sender, AttachmentLinks links) {
  private static final Pattern NON_NEGATIVE = Pattern.compile("[0-9]{1,18}");

  public void history(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    History request = new History(caller.userId(), rc.pathParam("id"),
        seqParam(rc, "beforeSeq"), seqParam(rc, "afterSeq"), seqParam(rc, "limit"), seqParam(rc, "changedAfter"));
    bus.request(Messaging.MESSAGE_HISTORY, request)
        .onSuccess(page -> JsonBodies.send(rc, 200, links.signed(Bodies.encode(page))))
        .onFailure(rc::fail);
  }

  public void send(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    SendMessage request = ClientBodies.stamped(SendMessage.class, JsonBodies.object(rc), caller.userId(), rc.pathParam("id"));
    sender.send(request)
        .onSuccess(r -> JsonBodies.send(rc, r.created() ? 201 : 200,
            links.signed(new JsonObject().put("message", Bodies.encode(r.message())))))
        .onFailure(rc::fail);
  }

  public void edit(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    JsonObject body = JsonBodies.object(rc).copy().put("messageId", rc.pathParam("messageId"));
    EditMessage request = ClientBodies.stamped(EditMessage.class, body, caller.userId(), rc.pathParam("id"));
    sender.edit(request)
        .onSuccess(r -> JsonBodies.send(rc, 200, links.signed(new JsonObject().put("message", Bodies.encode(r.message())))))
        .onFailure(rc::fail);
  }

  public void delete(RoutingContext rc) {
    AuthUser caller = AuthUser.of(rc);
    sender.delete(new DeleteMessage(caller.userId(), rc.pathParam("id"), rc.pathParam("messageId")))
        .onSuccess(r -> JsonBodies.noContent(rc))
        .onFailure(rc::fail);
  }

  /** A query parameter given at most once, or null. */
  static String oneParam(RoutingContext rc, String name) {
    // a query that does not decode was refused before any route (JsonBodies.wellFormedQuery)
    var values = rc.queryParam(name);
    if (values.size() > 1) {
      throw Requests.invalid("'" + name + "' is given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** A non-negative integer query parameter given at most once, or null. */
  static Long seqParam(RoutingContext rc, String name) {
    String value = oneParam(rc, name);
    if (value == null) {
      return null;
    }
    if (!NON_NEGATIVE.matcher(value).matches()) {
      throw Requests.invalid("'" + name + "' must be a non-negative integer");
    }
    return Long.parseLong(value);
  }
}
