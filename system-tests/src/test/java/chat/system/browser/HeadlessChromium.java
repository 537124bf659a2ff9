package chat.system.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by Debian's ChromeDriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; {@code scripts/ensure-services.sh --browser} installs them). The driver
 * path is given explicitly, so Selenium Manager never downloads anything. Each instance has its own
 * fresh profile directory, so two instances are two separate browser sessions (own sessionStorage,
 * cookies and sockets); {@link #quit} removes it.
 */
public final class HeadlessChromium {
  public static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  public static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

  private final Path profile;
  private final ChromeDriver driver;

  private HeadlessChromium(Path profile, ChromeDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  public static HeadlessChromium start(int width, int height) {
    for (String exe : new String[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(Path.of(exe))) {
        throw new IllegalStateException(exe + " is missing: run scripts/ensure-services.sh --browser "
            + "(apt-get install chromium chromium-driver)");
      }
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    try {
      Path profile = Files.createTempDirectory("chat-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments(
          "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-extensions", "--disable-default-apps", "--mute-audio",
          "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER))
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new HeadlessChromium(profile, driver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** The page's console output so far (for failure reports). */
  public String consoleLog() {
    try {
      StringBuilder sb = new StringBuilder();
      driver.manage().logs().get(LogType.BROWSER).forEach(e -> sb.append(e.getLevel()).append(' ')
          .append(e.getMessage()).append('\n'));
      return sb.toString();
    } catch (RuntimeException e) {
      return "(console log unavailable: " + e.getMessage() + ")";
    }
  }

  public void quit() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp directory; the OS cleans it eventually
      }
    }
  }
}
