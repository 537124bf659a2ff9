package chat.notifier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one notification: an HTTP POST of its JSON to the webhook, signed ({@link Signature}), with
 * {@code X-Chat-Delivery-Id}. Succeeds on a 2xx answer only; anything else (another status, no answer within
 * the timeout, no connection) fails and the caller retries. Without a URL it only logs the notification.
 */
final class Webhook {
  static final String DELIVERY_ID = "X-Chat-Delivery-Id";
  private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
  private static final long TIMEOUT_MS = 10_000;

  private final URI url;
  private final String secret;
  private final HttpClient http;

  Webhook(Vertx vertx, URI url, String secret) {
    this.url = url;
    this.secret = secret;
    this.http = url == null ? null : vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) TIMEOUT_MS).setSsl("https".equals(url.getScheme())));
  }

  Future<Void> deliver(String deliveryId, JsonObject notification) {
    String body = notification.encode();
    if (http == null) {
      LOG.info("notification (no {} set): {}", NotifierConfig.WEBHOOK_URL, body);
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis() / 1000;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url.toString())
        .setTimeout(TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader(DELIVERY_ID, deliveryId)
        .putHeader(Signature.HEADER, Signature.header(secret, now, body));
    return http.request(options)
        .compose(req -> req.send(body))
        // end(), not body(): the receiver's answer is read to its end and dropped, never buffered
        .compose(resp -> resp.end().compose(ignored -> resp.statusCode() / 100 == 2
            ? Future.succeededFuture()
            : Future.failedFuture("webhook answered " + resp.statusCode())));
  }

  Future<Void> close() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
