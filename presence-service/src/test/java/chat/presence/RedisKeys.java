package chat.presence;

import chat.shared.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Lists and deletes a test's Redis keys (its own prefix only). */
final class RedisKeys {
  private RedisKeys() {}

  static List<String> list(Vertx vertx, String url, String prefix) {
    Redis redis = Redis.createClient(vertx, url);
    try {
      List<String> keys = new ArrayList<>();
      String cursor = "0";
      do {
        Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000)));
        cursor = page.get(0).toString();
        page.get(1).forEach(k -> keys.add(k.toString()));
      } while (!"0".equals(cursor));
      return keys;
    } finally {
      Await.result(redis.close());
    }
  }

  static void deleteAll(Vertx vertx, String url, String prefix) {
    List<String> keys = list(vertx, url, prefix);
    if (keys.isEmpty()) {
      return;
    }
    Redis redis = Redis.createClient(vertx, url);
    try {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(del::arg);
      Await.result(redis.send(del));
    } finally {
      Await.result(redis.close());
    }
  }
}
