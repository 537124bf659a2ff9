package chat.system.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The client library as an integrator gets it: {@code npm pack} of {@code web-client/}, installed with
 * {@code npm install <tarball>} into a copy of the fixture project ({@code src/test/resources/web-fixture}),
 * offline (the package has no dependencies; its two peers are loaded by the fixture page as scripts).
 */
final class WebFixture {
  static final Path LIBRARY = Path.of(System.getProperty("chat.webClient", "../web-client")).toAbsolutePath().normalize();
  static final Path FIXTURE = Path.of("src", "test", "resources", "web-fixture").toAbsolutePath();

  private WebFixture() {
  }

  /** Packs the library into {@code dir} and installs the tarball into a copy of the fixture there; returns the project. */
  static Path install(Path dir) {
    try {
      Path packed = Files.createDirectories(dir.resolve("packed"));
      String tarball = run(LIBRARY, "npm", "pack", "--pack-destination", packed.toString()).strip().lines()
          .reduce((a, b) -> b).orElseThrow();
      Path project = Files.createDirectories(dir.resolve("project"));
      try (Stream<Path> files = Files.list(FIXTURE)) {
        for (Path f : files.toList()) {
          Files.copy(f, project.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      run(project, "npm", "install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps",
          packed.resolve(tarball).toString());
      return project;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cleanup: " + e);
    }
  }

  /** Runs the library's own tests (node:test, web-client/test); returns their report. */
  static String unitTests() {
    return run(LIBRARY, "npm", "test");
  }

  private static String run(Path dir, String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed in " + dir + " (is npm installed? "
            + "scripts/ensure-services.sh --browser installs it):\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + ": npm is missing (scripts/ensure-services.sh --browser)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
