package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
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
  @DisplayName("Several gateways are given as comma-separated URLs, each held to loopback, and the processes to sample as name=pid pairs")
  void clusterTargets() {
    Args a = Args.parse("fanout", "--url", "http://127.0.0.1:8080,http://127.0.0.1:8081/", "--pids", "gateway-1=12,messaging=34");
    assertEquals(List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081")), a.urls());
    assertEquals(8080, a.url().getPort());
    assertEquals(Map.of("gateway-1", 12L, "messaging", 34L), a.processes());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("fanout", "--url", "http://127.0.0.1:8080,http://10.0.0.5:8081").urls());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("fanout", "--pids", "gateway-1=x").processes());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("fanout", "--pids", "=12").processes());
    assertThrows(IllegalArgumentException.class, () -> Args.parse("fanout", "--pids", "a=1,a=2").processes());
    assertEquals(Map.of("server", 7L), Args.parse("fanout", "--pid", "7").processes());
    assertEquals(Map.of(), Args.parse("fanout").processes());
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
