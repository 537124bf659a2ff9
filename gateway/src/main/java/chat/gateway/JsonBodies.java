package chat.gateway;

import chat.shared.Requests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Decoding request bodies and encoding responses of the HTTP API. Bad input is {@code invalid_request}. */
public final class JsonBodies {
  private JsonBodies() {}

  /** The body as a JSON object; empty, malformed, or not an object is {@code invalid_request}. */
  public static JsonObject object(RoutingContext rc) {
    JsonObject body = optionalObject(rc);
    if (body == null) {
      throw Requests.invalid("A JSON object body is required");
    }
    return body;
  }

  /**
   * The body as a JSON object, or null when the body is empty. A multipart body is
   * {@code invalid_request} even when empty: the body handler consumed it as form fields, so an absent
   * JSON body must not be read as "no body" (a multipart mark-read would otherwise mark everything).
   */
  public static JsonObject optionalObject(RoutingContext rc) {
    String type = rc.request().getHeader("Content-Type");
    if (type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
      throw Requests.invalid("The body must be JSON, not a multipart form");
    }
    Buffer buffer = rc.body() == null ? null : rc.body().buffer();
    if (buffer == null || buffer.length() == 0 || buffer.toString().isBlank()) {
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (RuntimeException | StackOverflowError e) {
      throw Requests.invalid("Malformed JSON");
    }
    if (!(value instanceof JsonObject json)) {
      throw Requests.invalid("The body must be a JSON object");
    }
    return json;
  }

  /** A pre-handler: a query string that does not percent-decode is {@code invalid_request}, whatever the route reads. */
  public static void wellFormedQuery(RoutingContext rc) {
    try {
      rc.queryParams();
    } catch (IllegalArgumentException e) {
      rc.fail(Requests.invalid("Malformed query string"));
      return;
    }
    rc.next();
  }

  public static void send(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  public static void noContent(RoutingContext rc) {
    rc.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
  }
}
