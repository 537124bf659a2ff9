package chat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every scenario gets: Vert.x, the HTTP API and base URL of each target (one server, or the gateways
 * of a cluster), the server processes whose CPU is sampled (name to pid in the order given; empty = unknown) and a run tag
 * that prefixes every user id so repeated runs against one database never collide.
 */
public record Run(Vertx vertx, List<ChatApi> apis, List<URI> bases, Map<String, Long> processes, String tag,
                  int setupConcurrency) {

  public Run {
    if (apis.isEmpty() || apis.size() != bases.size()) {
      throw new IllegalArgumentException("one API per base URL, at least one");
    }
    apis = List.copyOf(apis);
    bases = List.copyOf(bases);
    processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
  }

  /** One server, with its pid (0 = unknown). */
  public Run(Vertx vertx, ChatApi api, URI base, long serverPid, String tag, int setupConcurrency) {
    this(vertx, List.of(api), List.of(base), serverPid > 0 ? Map.of("server", serverPid) : Map.of(), tag, setupConcurrency);
  }

  /** The first target's API: setup calls go there. */
  public ChatApi api() {
    return apis.get(0);
  }

  /** The API of the target that user or lane {@code i} uses: the targets in turn. */
  public ChatApi api(int i) {
    return apis.get(Math.floorMod(i, apis.size()));
  }

  public URI base() {
    return bases.get(0);
  }

  public int targets() {
    return bases.size();
  }

  /** The pid of the one server process, or 0 when there is none or several. */
  public long serverPid() {
    return processes.size() == 1 ? processes.values().iterator().next() : 0;
  }

  public String userId(String role, int i) {
    return tag + "-" + role + "-" + i;
  }

  /** Dev-login tokens for {@code count} users named {@code <tag>-<role>-<i>}. */
  public List<String> login(String role, int count) {
    return Async.map(count, setupConcurrency, i -> api(i).login(userId(role, i))).await();
  }

  public static <T> T await(Future<T> f) {
    return f.await();
  }
}
