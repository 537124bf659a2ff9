package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;

/**
 * What every scenario gets: Vert.x, the HTTP API, the target, the server's pid (0 = unknown) and a
 * run tag that prefixes every user id so repeated runs against one database never collide.
 */
public record Run(Vertx vertx, ChatApi api, URI base, long serverPid, String tag, int setupConcurrency) {

  public String userId(String role, int i) {
    return tag + "-" + role + "-" + i;
  }

  /** Dev-login tokens for {@code count} users named {@code <tag>-<role>-<i>}. */
  public List<String> login(String role, int count) {
    return Async.map(count, setupConcurrency, i -> api.login(userId(role, i))).await();
  }

  public static <T> T await(Future<T> f) {
    return f.await();
  }
}
