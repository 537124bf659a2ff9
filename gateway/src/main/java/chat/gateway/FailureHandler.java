package chat.gateway;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONE place where failures become HTTP answers: any failure of a route (a ChatException, a failed
 * bus call, a router status such as 404/405/413) is answered {@code {"error","message"}} with the
 * catalogue's status. Unexpected server errors (5xx other than 503) are logged once with their cause;
 * the log names the method and path only, never the query or headers, so no token is ever logged.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext rc) {
    answer(rc, rc.statusCode());
  }

  /**
   * The router's error handler for {@code status}: a failure no route reached (a path that does not
   * decode, no route, a wrong method). The context may not carry the status then, so it is given here.
   */
  public Handler<RoutingContext> forStatus(int status) {
    return rc -> answer(rc, rc.failure() == null || rc.statusCode() < 400 ? status : rc.statusCode());
  }

  private void answer(RoutingContext rc, int status) {
    Throwable failure = rc.failure();
    ChatException error = failure instanceof ChatException || failure instanceof io.vertx.core.eventbus.ReplyException
        ? ChatException.from(failure)
        : byStatus(status, failure);
    if (error.code().status() >= 500 && error.code() != ErrorCode.UNAVAILABLE && error.code() != ErrorCode.SEND_OUTCOME_UNKNOWN) {
      LOG.error("{} {} failed", rc.request().method(), rc.request().path(), failure);
    }
    if (rc.response().ended()) {
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    JsonObject body = error.toJson();
    if (error.code() == ErrorCode.UNAUTHORIZED) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (error.code() == ErrorCode.REQUEST_TOO_LARGE && !rc.request().isEnded()) {
      // the rest of an oversized body is not read: the connection cannot be reused, say so
      rc.response().putHeader("Connection", "close");
    }
    JsonBodies.send(rc, error.code().status(), body);
  }

  /**
   * A request the HTTP codec could not decode (a malformed request line or header, one too long): the
   * router never sees it, and the answer carries the error body like any other. The connection closes,
   * since the rest of what the client sent cannot be trusted to frame a next request.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ErrorCode code = cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException
        ? ErrorCode.REQUEST_TOO_LARGE
        : ErrorCode.INVALID_REQUEST;
    request.response()
        .setStatusCode(code.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Connection", "close")
        .end(new ChatException(code).toJson().encode())
        .onComplete(v -> request.connection().close());
  }

  static ChatException byStatus(int status, Throwable failure) {
    if (failure instanceof io.vertx.core.json.DecodeException) {
      return ChatException.from(failure);
    }
    ErrorCode code = switch (status) {
      case 400 -> ErrorCode.INVALID_REQUEST;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.REQUEST_TOO_LARGE;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
    };
    return new ChatException(code);
  }
}
