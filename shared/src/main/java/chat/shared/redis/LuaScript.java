package chat.shared.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A Lua script read once from the classpath and run by its SHA-1 ({@code EVALSHA}: one round trip);
 * when Redis does not have it cached (first use, or after a Redis restart) it is sent once with
 * {@code EVAL}, which caches it again. Presence's script and the gateways' shared rate limit run through it.
 */
public final class LuaScript {
  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  public static LuaScript load(String resource) {
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing script resource " + resource);
      }
      return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the script with {@code keys} and {@code args} through {@code send} (a client's or a connection's). */
  public Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    // ErrorType is internal, but the only way to tell a NOSCRIPT reply
    return send.apply(request(Command.EVALSHA, sha, keys, args))
        .recover(t -> t instanceof ErrorType err && err.is("NOSCRIPT")
            ? send.apply(request(Command.EVAL, source, keys, args))
            : Future.failedFuture(t));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
