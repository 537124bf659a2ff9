package chat.shared.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP exchange on a connection of its own, for tests that send what a hostile client would. The whole
 * exchange runs on one Vert.x context: an HttpClient driven from a test thread hands the response to the
 * caller's context on another event loop, and a body that arrives before {@code body()} is asked for is lost,
 * which hangs the test rather than the server.
 */
public final class OneRequest {
  /** What came back; {@code headers} as received. */
  public record Answer(int status, MultiMap headers, String body) {
    public String contentType() {
      return headers.get("Content-Type");
    }
  }

  private OneRequest() {}

  /** Sends {@code options} with {@code body} (none when null) and waits for the whole answer. */
  public static Answer send(Vertx vertx, RequestOptions options, String body) {
    return Await.result(exchange(vertx, options, body));
  }

  public static Future<Answer> exchange(Vertx vertx, RequestOptions options, String body) {
    Promise<Answer> answer = Promise.promise();
    HttpClient client = vertx.createHttpClient();
    vertx.getOrCreateContext().runOnContext(v -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b.toString())))
        .onComplete(ar -> client.close().onComplete(c -> answer.handle(ar))));
    return answer.future();
  }
}
