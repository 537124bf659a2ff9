package chat.shared.testing;

import chat.shared.config.ChatConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway cluster CA and its node certificates for the event bus's mutual TLS, made by
 * {@code scripts/cluster-certs.sh} (what {@code make cluster} uses), so clustered tests run with TLS on.
 */
public final class TestCerts {
  private final Path dir;

  private TestCerts(Path dir) {
    this.dir = dir;
  }

  /** A new CA of its own under the module's {@code target/cluster-certs/}, unrelated to any other. */
  public static TestCerts newCa() {
    return in(Path.of("target", "cluster-certs", "ca-" + UUID.randomUUID()).toAbsolutePath());
  }

  /** The CA kept in {@code dir} (created there by the script when absent), e.g. the one a local cluster made. */
  public static TestCerts in(Path dir) {
    return new TestCerts(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The settings of a node holding the certificate {@code name} of this CA (issued on first use). */
  public Map<String, String> env(String name) {
    run(name);
    Map<String, String> env = new HashMap<>();
    env.put(ChatConfig.Tls.SWITCH, "on");
    env.put(ChatConfig.Tls.CERT, dir.resolve(name + ".pem").toString());
    env.put(ChatConfig.Tls.KEY, dir.resolve(name + "-key.pem").toString());
    env.put(ChatConfig.Tls.CA, dir.resolve("ca.pem").toString());
    return env;
  }

  /** A copy of {@code base} with the TLS settings of node {@code name}. */
  public Map<String, String> with(Map<String, String> base, String name) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(env(name));
    return env;
  }

  private synchronized void run(String name) {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), dir.toString(), name));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("cluster-certs.sh did not finish");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("cluster-certs.sh failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The script, found from the module's working directory upwards (Maven runs tests in the module). */
  private static Path script() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve("scripts/cluster-certs.sh");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    throw new IllegalStateException("scripts/cluster-certs.sh not found above " + Path.of("").toAbsolutePath());
  }
}
