package chat.gateway;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's IP address of a request: the one every per-IP limit counts and every log line names.
 * Behind a proxy the TCP peer is the proxy, so {@code X-Forwarded-For} is read, but only when the peer is
 * inside one of the trusted networks ({@code TRUSTED_PROXIES}, CIDRs; none by default). The header is
 * walked from the right, skipping addresses inside the trusted networks (proxies in front of proxies); the
 * first address outside them is the client. Entries further left are whatever the client wrote, so they are
 * never used. When every entry is trusted, or the header is missing, the peer is the client; an entry that
 * is not an IP address ends the walk at the last trusted hop, since nothing left of it can be trusted.
 * Addresses are canonical text (an IPv4-mapped IPv6 address is its IPv4 form), so one client is one key.
 */
public final class ClientIp implements Handler<RoutingContext> {
  /** What a request whose peer address is unknown is counted and logged as. */
  static final String UNKNOWN = "unknown";
  private static final String KEY = "chat.clientIp";
  private static final ClientIp NO_PROXIES = new ClientIp(List.of());

  private final List<Network> trusted;

  private ClientIp(List<Network> trusted) {
    this.trusted = trusted;
  }

  /** Trusting the given networks ({@code 10.0.0.0/8}, {@code fd00::/8}, or a single address); fails on a malformed one. */
  public static ClientIp trusting(List<String> cidrs) {
    List<Network> networks = new ArrayList<>(cidrs.size());
    for (String cidr : cidrs) {
      networks.add(Network.parse(cidr));
    }
    return new ClientIp(List.copyOf(networks));
  }

  /** A pre-handler: makes {@link #of(RoutingContext)} answer for this request (computed only when asked). */
  @Override
  public void handle(RoutingContext rc) {
    rc.put(KEY, this);
    rc.next();
  }

  /** The client address of a request that went through the pre-handler (else its TCP peer). */
  public static String of(RoutingContext rc) {
    ClientIp rules = rc.get(KEY);
    return (rules == null ? NO_PROXIES : rules).of(rc.request());
  }

  /** The client address of the request (see the class comment). */
  public String of(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    String peerText = peer == null ? null : peer.hostAddress();
    return of(peerText, trusted.isEmpty() ? List.of() : request.headers().getAll("X-Forwarded-For"));
  }

  /** The client address given the TCP peer's address and the {@code X-Forwarded-For} headers, in order. */
  String of(String peer, List<String> forwarded) {
    byte[] peerIp = parse(peer);
    if (peerIp == null) {
      return peer == null ? UNKNOWN : peer;
    }
    if (trusted.isEmpty() || !isTrusted(peerIp)) {
      return text(peerIp);
    }
    byte[] nearest = peerIp;
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] hops = forwarded.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] hop = parse(hops[i]);
        if (hop == null) {
          return text(nearest);
        }
        if (!isTrusted(hop)) {
          return text(hop);
        }
        nearest = hop;
      }
    }
    return text(peerIp);
  }

  private boolean isTrusted(byte[] ip) {
    for (Network n : trusted) {
      if (n.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /** An IP literal (never a host name: no lookup), with an optional port or IPv6 brackets; null otherwise. */
  static byte[] parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      s = s.substring(0, s.indexOf(':'));
    }
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(s);
    return ip == null ? null : unmapped(ip);
  }

  private static byte[] unmapped(byte[] ip) {
    if (ip.length != 16) {
      return ip;
    }
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return ip;
      }
    }
    if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) {
      return ip;
    }
    return new byte[] {ip[12], ip[13], ip[14], ip[15]};
  }

  private static String text(byte[] ip) {
    return NetUtil.bytesToIpAddress(ip);
  }

  /** An address range: the first {@code bits} bits of {@code prefix}. */
  private record Network(byte[] prefix, int bits) {
    static Network parse(String cidr) {
      String s = cidr.strip();
      int slash = s.indexOf('/');
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? s : s.substring(0, slash));
      if (ip == null) {
        throw new IllegalArgumentException("TRUSTED_PROXIES: '" + cidr + "' is not an address or CIDR");
      }
      ip = unmapped(ip);
      int bits = ip.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > ip.length * 8) {
          throw new IllegalArgumentException("TRUSTED_PROXIES: '" + cidr + "' has a bad prefix length");
        }
      }
      return new Network(ip, bits);
    }

    boolean contains(byte[] ip) {
      if (ip.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (ip[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (ip[full] & mask) == (prefix[full] & mask);
    }
  }
}
