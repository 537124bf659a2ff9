package chat.loadgen;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
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
  public static final Set<String> SCENARIOS = Set.of("sendrate", "fanout", "unread", "connections", "report");

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

  /** The target's base URL; refused unless its host is a loopback address. */
  public URI url() {
    String raw = string("url", "http://127.0.0.1:8080");
    URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url must be http://<loopback host>:<port>, got '" + raw + "'");
    }
    requireLoopback(uri.getHost());
    return uri;
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
