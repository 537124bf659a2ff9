package chat.shared.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server of the test's own, on a free port, that the test may stop, restart, freeze and
 * thaw (the machine's Redis on 6379 is never touched). Nothing is persisted.
 */
public final class OwnRedis implements AutoCloseable {
  private final int port = TestEnv.freePort();
  private final Path dir;
  private Long pid;
  private boolean frozen;

  public OwnRedis() throws Exception {
    dir = Files.createTempDirectory("presence-redis-");
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() throws Exception {
    Path pidFile = dir.resolve("redis.pid");
    run("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "yes", "--pidfile", pidFile.toString(), "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(Files.exists(pidFile) && ping())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("own redis-server did not start on port " + port);
      }
      Thread.sleep(50);
    }
    pid = Long.parseLong(Files.readString(pidFile).trim());
  }

  public void stop() throws Exception {
    if (pid == null) {
      return;
    }
    thaw();
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroy();
      p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    });
    pid = null;
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
  public void freeze() throws Exception {
    run("kill", "-STOP", String.valueOf(pid));
    frozen = true;
  }

  public void thaw() throws Exception {
    if (frozen) {
      run("kill", "-CONT", String.valueOf(pid));
      frozen = false;
    }
  }

  public boolean isRunning() {
    return pid != null;
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private boolean ping() throws Exception {
    Process p = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "ping").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    return p.waitFor(5, TimeUnit.SECONDS) && "PONG".equals(out);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
