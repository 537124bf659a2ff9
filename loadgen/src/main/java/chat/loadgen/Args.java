package chat.loadgen;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code <scenario> --url http://127.0.0.1:8080 [--key value | --key=value | --flag]...}.
 *
 * <p>Guarantees: the target is a loopback address (anything else is refused, the load generator never
 * leaves the machine); every option read is recorded in {@link #used()} so the result line states the
 * exact settings; numbers are validated with a message naming the option.
 */
public final class Args {
  public static final Set<String> SCENARIOS = Set.of("sendrate", "fanout", "unread", "connections", "idle", "report");

  private final String scenario;
  private final Map<String, String> options;
  private final Map<String, Object> used = new LinkedHashMap<>();

  private Args(String scenario, Map<String, String> options) {
    this.scenario = scenario;
    this.options = options;
  }

  public static Args parse(String... argv) {
    if (argv.length == 0) {
      throw new IllegalArgumentException("usage: loadgen <" + String.join("|", SCENARIOS.stream().sorted().toList())
          + "> --url http://127.0.0.1:8080 [--option value]...");
    }
    String scenario = argv[0];
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--") || a.length() == 2) {
        options.merge("_", a, (x, y) -> x + " " + y);
        continue;
      }
      String key = a.substring(2);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        options.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        options.put(key, argv[++i]);
      } else {
        options.put(key, "true");
      }
    }
    return new Args(scenario, options);
  }

  public String scenario() {
    return scenario;
  }

  /** Positional (non-option) arguments, space separated, or null. */
  public String positional() {
    return options.get("_");
  }

  public String string(String key, String def) {
    String v = options.getOrDefault(key, def);
    used.put(key, v);
    return v;
  }

  public int integer(String key, int def) {
    long v = longValue(key, def);
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--" + key + " is too large: " + v);
    }
    return (int) v;
  }

  public long longValue(String key, long def) {
    String raw = options.get(key);
    long v;
    try {
      v = raw == null ? def : Long.parseLong(raw.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be an integer, got '" + raw + "'");
    }
    if (v < 0) {
      throw new IllegalArgumentException("--" + key + " must not be negative, got " + v);
    }
    used.put(key, v);
    return v;
  }

  public boolean flag(String key, boolean def) {
    String raw = options.get(key);
    boolean v = raw == null ? def : !(raw.equalsIgnoreCase("false") || raw.equals("0") || raw.equalsIgnoreCase("no"));
    used.put(key, v);
    return v;
  }

  /** The options this run read, with their effective values, in reading order. */
  public Map<String, Object> used() {
    return used;
  }

  /** The first target's base URL (see {@link #urls}). */
  public URI url() {
    return urls().get(0);
  }

  /**
   * The targets' base URLs: {@code --url} takes one, or several separated by commas (the gateways of a
   * cluster, which the scenarios use in turn); each is refused unless its host is a loopback address.
   */
  public List<URI> urls() {
    List<URI> out = new ArrayList<>();
    for (String raw : string("url", "http://127.0.0.1:8080").split(",")) {
      String trimmed = raw.strip();
      URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("--url must be http://<loopback host>:<port>[,...], got '" + raw + "'");
      }
      requireLoopback(uri.getHost());
      out.add(uri);
    }
    return out;
  }

  /**
   * The server processes whose CPU a scenario samples, by name: {@code --pids gateway-1=123,messaging=456}
   * (a cluster), else {@code --pid 123} as {@code server}; empty when neither is given.
   */
  public Map<String, Long> processes() {
    Map<String, Long> out = new LinkedHashMap<>();
    String pids = string("pids", null);
    if (pids != null) {
      for (String entry : pids.split(",")) {
        int eq = entry.indexOf('=');
        String name = eq > 0 ? entry.substring(0, eq).strip() : "";
        try {
          long pid = Long.parseLong(entry.substring(eq + 1).strip());
          if (name.isEmpty() || pid <= 0 || out.putIfAbsent(name, pid) != null) {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--pids must be name=pid[,name=pid]... with distinct names, got '" + entry + "'");
        }
      }
      return out;
    }
    long pid = longValue("pid", 0);
    if (pid > 0) {
      out.put("server", pid);
    }
    return out;
  }

  static void requireLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    boolean loopback;
    if (h.equals("localhost")) {
      loopback = true;
    } else if (h.matches("[0-9.]+") || h.contains(":")) {
      try {
        loopback = InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        loopback = false;
      }
    } else {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalArgumentException("refusing to target '" + host + "': the load generator only drives loopback");
    }
  }
}
