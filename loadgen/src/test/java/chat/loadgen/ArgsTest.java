package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  @DisplayName("Options given as '--key value', '--key=value' and bare flags are all understood, and unread ones take their defaults")
  void parsesOptionForms() {
    Args a = Args.parse("fanout", "--url", "http://127.0.0.1:9090", "--rate=5_000", "--members", "12", "--verbose");
    assertEquals("fanout", a.scenario());
    assertEquals(5000, a.integer("rate", 1));
    assertEquals(12, a.integer("members", 10));
    assertEquals(100, a.integer("threads", 100));
    assertTrue(a.flag("verbose", false));
    assertEquals(9090, a.url().getPort());
    assertEquals(5000L, a.used().get("rate"));
    assertEquals(100L, a.used().get("threads"));
  }

  @Test
  @DisplayName("The load generator refuses to target anything but a loopback address")
  void refusesNonLoopback() {
    assertThrows(IllegalArgumentException.class, () -> Args.parse("sendrate", "--url", "http://10.0.0.5:8080").url());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("sendrate", "--url", "http://example.com").url());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("sendrate", "--url", "https://127.0.0.1").url());
    assertEquals("127.0.0.2", Args.parse("sendrate", "--url", "http://127.0.0.2:8080").url().getHost());
    assertEquals("localhost", Args.parse("sendrate", "--url", "http://localhost:8080/").url().getHost());
    assertEquals("[::1]", Args.parse("sendrate", "--url", "http://[::1]:8080").url().getHost());
  }

  @Test
  @DisplayName("A misspelt scenario, a non-number or a negative number is reported with the option's name")
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Args.parse("sendrat"));
    assertThrows(IllegalArgumentException.class, () -> Args.parse());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Args.parse("sendrate", "--duration", "ten").integer("duration", 10));
    assertTrue(e.getMessage().contains("--duration"));
    assertThrows(IllegalArgumentException.class, () -> Args.parse("sendrate", "--rate=-1").integer("rate", 1));
  }

  @Test
  @DisplayName("The report command takes the results file as a positional argument")
  void positional() {
    Args a = Args.parse("report", "bench-results/latest.jsonl", "--readme", "README.md");
    assertEquals("bench-results/latest.jsonl", a.positional());
    assertEquals("README.md", a.string("readme", null));
  }
}
