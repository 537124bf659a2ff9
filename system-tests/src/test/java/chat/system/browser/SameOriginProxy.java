package chat.system.browser;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A product's reverse proxy in miniature: one origin in front of two servers. Paths {@code toProduct} accepts
 * go to the product's backend (its login and token endpoint), everything else (page, API, bridge, WebSockets
 * included) to the chat gateway. This is how {@code TOKEN_ENDPOINT} is deployed: same origin as the page.
 */
final class SameOriginProxy {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
      "host", "content-length", "te", "trailer", "proxy-connection");

  private SameOriginProxy() {}

  static Future<HttpServer> start(Vertx vertx, int port, int gatewayPort, int productPort, Predicate<String> toProduct) {
    HttpClient client = vertx.createHttpClient();
    WebSocketClient sockets = vertx.createWebSocketClient();
    return vertx.createHttpServer().requestHandler(req -> {
      int target = toProduct.test(req.path()) ? productPort : gatewayPort;
      if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
        webSocket(sockets, req, target);
      } else {
        http(client, req, target);
      }
    }).listen(port, "127.0.0.1");
  }

  private static void http(HttpClient client, HttpServerRequest req, int target) {
    req.pause();
    client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(target)
        .setURI(req.uri())).onSuccess(back -> {
          copy(req.headers(), back.headers());
          String length = req.getHeader("Content-Length");
          if (length != null) {
            back.putHeader("Content-Length", length);
          } else if (req.getHeader("Transfer-Encoding") != null) {
            back.setChunked(true);
          }
          back.send(req).onSuccess(answer -> {
            req.response().setStatusCode(answer.statusCode());
            copy(answer.headers(), req.response().headers());
            String answerLength = answer.getHeader("Content-Length");
            if (answerLength != null) {
              req.response().putHeader("Content-Length", answerLength);
            } else {
              req.response().setChunked(true);
            }
            answer.pipeTo(req.response());
          }).onFailure(e -> req.response().setStatusCode(502).end());
        }).onFailure(e -> req.response().setStatusCode(502).end());
  }

  private static void webSocket(WebSocketClient sockets, HttpServerRequest req, int target) {
    req.toWebSocket().onSuccess(front -> {
      front.pause();
      sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(target).setURI(req.uri()))
          .onSuccess(back -> wire(front, back))
          .onFailure(e -> front.close());
    });
  }

  private static void wire(ServerWebSocket front, WebSocket back) {
    front.textMessageHandler(back::writeTextMessage);
    front.binaryMessageHandler(back::writeBinaryMessage);
    back.textMessageHandler(front::writeTextMessage);
    back.binaryMessageHandler(front::writeBinaryMessage);
    front.closeHandler(v -> back.close());
    // The gateway's close code (4401 at token expiry) must reach the page as is.
    back.closeHandler(v -> {
      Short code = back.closeStatusCode();
      short status = code == null || code == 1005 || code == 1006 ? 1000 : code;
      front.close(status, back.closeReason());
    });
    front.resume();
  }

  private static void copy(MultiMap from, MultiMap to) {
    from.forEach(e -> {
      if (!HOP_BY_HOP.contains(e.getKey().toLowerCase())) {
        to.add(e.getKey(), e.getValue());
      }
    });
  }
}
