package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientIpTest {
  private static final ClientIp INGRESS = ClientIp.trusting(List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7"));

  @Test
  @DisplayName("X-Forwarded-For is walked from the right past trusted proxies; the first untrusted address is the client")
  void walksFromTheRight() {
    assertEquals("203.0.113.9", INGRESS.of("10.1.2.3", List.of("203.0.113.9")));
    assertEquals("203.0.113.9", INGRESS.of("10.1.2.3", List.of("1.1.1.1, 203.0.113.9")), "the client's own entry is ignored");
    assertEquals("203.0.113.9", INGRESS.of("10.1.2.3", List.of("1.1.1.1, 203.0.113.9, 10.9.9.9")), "proxy chain");
    assertEquals("203.0.113.9", INGRESS.of("10.1.2.3", List.of("6.6.6.6", "203.0.113.9, 192.168.1.7")), "several headers");
    assertEquals("2001:db8::1", INGRESS.of("fd00::5", List.of("[2001:db8::1]:443")));
    assertEquals("203.0.113.9", INGRESS.of("10.1.2.3", List.of("203.0.113.9:5123")), "a port is dropped");
    assertEquals("203.0.113.9", INGRESS.of("::ffff:10.1.2.3", List.of("::ffff:203.0.113.9")), "IPv4-mapped is IPv4");
  }

  @Test
  @DisplayName("The peer is the client when it is not a trusted proxy, when nothing is trusted, or when every hop is trusted")
  void peerOtherwise() {
    assertEquals("198.51.100.4", INGRESS.of("198.51.100.4", List.of("1.2.3.4")), "an untrusted peer cannot forward");
    assertEquals("10.1.2.3", ClientIp.trusting(List.of()).of("10.1.2.3", List.of("1.2.3.4")), "none trusted by default");
    assertEquals("10.1.2.3", INGRESS.of("10.1.2.3", List.of()));
    assertEquals("10.1.2.3", INGRESS.of("10.1.2.3", List.of("10.4.4.4, 10.5.5.5")));
    assertEquals("10.5.5.5", INGRESS.of("10.1.2.3", List.of("1.1.1.1, evil.example.com, 10.5.5.5")),
        "a non-address ends the walk at the last trusted hop, and no name is looked up");
    assertEquals("11.0.0.1", INGRESS.of("10.1.2.3", List.of("11.0.0.1")), "10.0.0.0/8 ends at 10.255.255.255");
  }

  @Test
  @DisplayName("Networks parse as CIDRs or single addresses; anything else fails the start")
  void parsesNetworks() {
    assertEquals("9.9.9.9", ClientIp.trusting(List.of("172.16.0.0/12")).of("172.31.0.1", List.of("9.9.9.9, 172.16.5.5")),
        "/12 covers 172.16-172.31");
    assertEquals("172.32.0.1", ClientIp.trusting(List.of("172.16.0.0/12")).of("172.32.0.1", List.of("9.9.9.9")));
    for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "example.com", "10.0.0/8", "fd00::/129", "")) {
      assertThrows(IllegalArgumentException.class, () -> ClientIp.trusting(List.of(bad)), bad);
    }
    assertNull(ClientIp.parse("1.2.3"));
    assertNull(ClientIp.parse("localhost"));
  }
}
