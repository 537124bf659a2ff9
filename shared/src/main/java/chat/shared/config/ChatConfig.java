package chat.shared.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All configuration of every process, read from environment variables (one table in the README).
 * Built from a map so tests and the one-process launcher can override any key.
 */
public record ChatConfig(
    int port,
    String jwtSecret,
    String jwtPublicKeyPath,
    String jwtAlgorithm,
    String jwtIssuer,
    String jwtAudience,
    boolean devLogin,
    Pg pg,
    String redisUrl,
    String redisPrefix,
    boolean rateLimits,
    Cluster cluster,
    int presenceTtlSeconds,
    int heartbeatSeconds,
    int typingTtlSeconds,
    long busTimeoutMs,
    long bridgePingTimeoutMs,
    int bridgeMaxBufferedBytes,
    List<String> corsOrigins,
    int maxBodyBytes,
    int maxFrameBytes,
    int unreadFlushMs,
    int verticleInstances,
    String host,
    int opsPort,
    List<String> trustedProxies,
    int maxThreadMembers,
    int devTokenTtlSeconds,
    Attachments attachments,
    List<String> embedOrigins,
    String tokenEndpoint,
    BusRouting busRouting) {

  /**
   * How events for browsers travel from the services to the gateways ({@code BUS_ROUTING}; docs/scale.md).
   * Services publish as it says; a gateway consumes per address in {@link #ADDRESS} and on the one
   * gateway-events address otherwise.
   */
  public enum BusRouting {
    /** Each gateway instance consumes one clustered address; an event names the browser addresses it is for. */
    NODE,
    /** Each gateway instance consumes every browser address its sockets registered (the previous release). */
    ADDRESS,
    /** Services publish both ways, for a rolling upgrade from {@link #ADDRESS}; a gateway consumes as {@link #NODE}. */
    DUAL;

    public static final String KEY = "BUS_ROUTING";

    public boolean publishesToNodes() {
      return this != ADDRESS;
    }

    public boolean publishesPerAddress() {
      return this != NODE;
    }

    public boolean consumesPerAddress() {
      return this == ADDRESS;
    }

    static BusRouting parse(String value) {
      for (BusRouting r : values()) {
        if (r.name().equalsIgnoreCase(value)) {
          return r;
        }
      }
      throw new IllegalArgumentException(KEY + " must be node, address or dual, got '" + value + "'");
    }
  }

  /**
   * Attachments (issue 19). {@code store} is {@code fs} (files under {@code dir}) or {@code s3}; {@code maxBytes}
   * caps one file; {@code urlKey} signs download links and must be the same on every gateway (null: a random
   * key per process, fine for one process only). Per user: {@code uploadsPerMinute}, {@code bytesPerDay} and
   * {@code maxUnsent} uploads not yet sent. Unsent uploads older than a day and deleted files are removed
   * every {@code sweepSeconds}.
   */
  public record Attachments(String store, String dir, long maxBytes, String urlKey, int uploadsPerMinute,
                            long bytesPerDay, int maxUnsent, int sweepSeconds, S3 s3) {
    public static final String FS = "fs";
    public static final String S3_STORE = "s3";
  }

  /** An S3-compatible bucket; {@code endpoint} null means AWS itself. Credentials come from the AWS default chain. */
  public record S3(String bucket, String endpoint, String region, boolean pathStyle) {}

  /**
   * Postgres connection settings; {@code schema} isolates tests (search_path). {@code sendBatch} is the
   * most sends one statement may carry, {@code sendStatements} how many send statements one messaging
   * process runs at once (sends arriving meanwhile are batched), {@code sendQueue} how many sends may wait
   * (beyond, 503). {@code statementTimeoutMs} bounds every statement of messaging's pool (0: none).
   */
  public record Pg(String host, int port, String database, String user, String password, String schema, int poolSize,
                   int sendBatch, int sendStatements, int sendQueue, long statementTimeoutMs) {}

  /**
   * Hazelcast settings. {@code members} is the TCP-IP member list (host or host:port, comma separated);
   * {@code kubernetes} switches to the built-in Kubernetes discovery using {@code kubernetesService}.
   * {@code tls}: the mutual TLS of the event-bus connections between nodes.
   */
  public record Cluster(
      boolean enabled,
      String name,
      List<String> members,
      String host,
      String publicHost,
      int port,
      int busPort,
      boolean kubernetes,
      String kubernetesService,
      String kubernetesNamespace,
      Tls tls) {}

  /**
   * Mutual TLS between cluster nodes: every node presents {@code certPath}/{@code keyPath} and accepts
   * only peers whose certificate {@code caPath} signed. PEM files. {@code on=false} ({@code CLUSTER_TLS=off})
   * runs the bus in plain TCP, for a trusted single host only.
   */
  public record Tls(boolean on, String certPath, String keyPath, String caPath) {
    public static final String SWITCH = "CLUSTER_TLS";
    public static final String CERT = "CLUSTER_TLS_CERT";
    public static final String KEY = "CLUSTER_TLS_KEY";
    public static final String CA = "CLUSTER_TLS_CA";

    /** The settings a TLS node lacks, in the order {@code CERT, KEY, CA}; empty when complete or off. */
    public List<String> missing() {
      if (!on) {
        return List.of();
      }
      List<String> missing = new ArrayList<>();
      if (certPath == null) {
        missing.add(CERT);
      }
      if (keyPath == null) {
        missing.add(KEY);
      }
      if (caPath == null) {
        missing.add(CA);
      }
      return missing;
    }
  }

  /** Whether {@link #opsPort} is set: health and metrics are then served there, not on the API port. */
  public boolean hasOpsPort() {
    return opsPort > 0;
  }

  public static final String DEV_SECRET = "dev-secret-change-me-dev-secret-change-me";

  public static ChatConfig fromEnv() {
    return from(System.getenv());
  }

  public static ChatConfig from(Map<String, String> env) {
    Env e = new Env(env);
    return new ChatConfig(
        e.integer("PORT", 8080),
        e.string("JWT_SECRET", null),
        e.string("JWT_PUBLIC_KEY", null),
        e.string("JWT_ALGORITHM", null),
        e.string("JWT_ISSUER", null),
        e.string("JWT_AUDIENCE", null),
        e.bool("CHAT_DEV_LOGIN", false),
        pg(e, e.integer("BUS_TIMEOUT_MS", 5000)),
        e.string("REDIS_URL", null),
        e.string("REDIS_PREFIX", "chat:"),
        !"off".equalsIgnoreCase(e.string("CHAT_RATE_LIMITS", "on")),
        new Cluster(
            e.bool("CLUSTER_ENABLED", true),
            e.string("CLUSTER_NAME", "chat"),
            e.list("CLUSTER_MEMBERS", "127.0.0.1"),
            e.string("CLUSTER_HOST", "127.0.0.1"),
            e.string("CLUSTER_PUBLIC_HOST", null),
            e.integer("CLUSTER_PORT", 5701),
            e.integer("EVENTBUS_PORT", 0),
            e.bool("CLUSTER_KUBERNETES", false),
            e.string("CLUSTER_KUBERNETES_SERVICE", "chat-hazelcast"),
            e.string("CLUSTER_KUBERNETES_NAMESPACE", null),
            tls(e)),
        e.integer("PRESENCE_TTL_SECONDS", 30),
        e.integer("HEARTBEAT_SECONDS", 10),
        e.integer("TYPING_TTL_SECONDS", 5),
        e.integer("BUS_TIMEOUT_MS", 5000),
        Math.max(1000, e.integer("BRIDGE_PING_TIMEOUT_MS", 30_000)),
        Math.max(1024, e.integer("BRIDGE_MAX_BUFFERED_BYTES", 256 * 1024)),
        e.list("CORS_ORIGINS", ""),
        e.integer("MAX_BODY_BYTES", 65536),
        e.integer("MAX_FRAME_BYTES", 65536),
        e.integer("UNREAD_FLUSH_MS", 50),
        Math.max(1, e.integer("VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors())),
        e.string("HOST", "0.0.0.0"),
        Math.max(0, e.integer("OPS_PORT", 0)),
        e.list("TRUSTED_PROXIES", ""),
        Math.max(1, e.integer("MAX_THREAD_MEMBERS", 1000)),
        Math.max(5, e.integer("DEV_TOKEN_TTL_SECONDS", 24 * 3600)),
        attachments(e),
        embedOrigins(e.list("EMBED_ORIGINS", "")),
        tokenEndpoint(e.string("TOKEN_ENDPOINT", null)),
        BusRouting.parse(e.string(BusRouting.KEY, "node")));
  }

  /** An origin exactly as a browser writes it ({@code event.origin}): lower case, no default port, no path. */
  private static final Pattern ORIGIN = Pattern.compile("(https?)://([a-z0-9-]+(?:\\.[a-z0-9-]+)*|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?");

  /**
   * The origins that may frame the page and hand it tokens. They go verbatim into the CSP and are compared
   * verbatim with {@code event.origin}, so anything but the browser's own spelling is refused at start.
   */
  static List<String> embedOrigins(List<String> origins) {
    for (String origin : origins) {
      Matcher m = ORIGIN.matcher(origin);
      String hint = "EMBED_ORIGINS: '" + origin + "' is not an origin; write each as the browser does, "
          + "scheme://host[:port] in lower case with no path, no default port and no wildcard "
          + "(for example https://app.example.com)";
      if (!m.matches()) {
        throw new IllegalArgumentException(hint);
      }
      if (m.group(3) != null) {
        int port = Integer.parseInt(m.group(3));
        boolean defaultPort = port == (m.group(1).equals("https") ? 443 : 80);
        if (port < 1 || port > 65535 || defaultPort || m.group(3).startsWith("0")) {
          throw new IllegalArgumentException(hint);
        }
      }
    }
    return List.copyOf(new LinkedHashSet<>(origins));
  }

  /** A path on the page's own origin: an absolute URL would carry the product's cookie elsewhere. */
  static String tokenEndpoint(String path) {
    if (path != null && (!path.matches("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*") || path.startsWith("//"))) {
      throw new IllegalArgumentException("TOKEN_ENDPOINT: '" + path + "' must be a path on the page's own origin, "
          + "such as /auth/chat-token (no scheme, host, query or fragment)");
    }
    return path;
  }

  private static Attachments attachments(Env e) {
    S3 s3 = new S3(e.string("S3_BUCKET", null), e.string("S3_ENDPOINT", null), e.string("S3_REGION", "us-east-1"),
        e.bool("S3_PATH_STYLE", false));
    String store = e.string("ATTACHMENT_STORE", s3.bucket() == null ? Attachments.FS : Attachments.S3_STORE)
        .toLowerCase(Locale.ROOT);
    if (!store.equals(Attachments.FS) && !store.equals(Attachments.S3_STORE)) {
      throw new IllegalArgumentException("ATTACHMENT_STORE must be fs or s3, got '" + store + "'");
    }
    if (store.equals(Attachments.S3_STORE) && s3.bucket() == null) {
      throw new IllegalArgumentException("ATTACHMENT_STORE=s3 needs S3_BUCKET");
    }
    return new Attachments(store, e.string("ATTACHMENT_DIR", ".data/attachments"),
        Math.max(1, e.longValue("MAX_ATTACHMENT_BYTES", 25L * 1024 * 1024)), e.string("ATTACHMENT_URL_KEY", null),
        Math.max(1, e.integer("ATTACHMENT_UPLOADS_PER_MINUTE", 30)),
        Math.max(1, e.longValue("ATTACHMENT_BYTES_PER_DAY", 1024L * 1024 * 1024)),
        Math.max(1, e.integer("ATTACHMENT_MAX_UNSENT", 50)),
        Math.max(1, e.integer("ATTACHMENT_SWEEP_SECONDS", 60)), s3);
  }

  private static Pg pg(Env e, long busTimeoutMs) {
    String url = e.string("DATABASE_URL", null);
    String host = e.string("PGHOST", "127.0.0.1");
    int port = e.integer("PGPORT", 5432);
    String db = e.string("PGDATABASE", "chat");
    String user = e.string("PGUSER", "postgres");
    String password = e.string("PGPASSWORD", null);
    if (url != null) {
      URI u = URI.create(url.replaceFirst("^postgresql:", "postgres:"));
      host = u.getHost() == null ? host : u.getHost();
      port = u.getPort() > 0 ? u.getPort() : port;
      if (u.getPath() != null && u.getPath().length() > 1) {
        db = u.getPath().substring(1);
      }
      if (u.getUserInfo() != null) {
        String[] parts = u.getUserInfo().split(":", 2);
        user = parts[0];
        password = parts.length > 1 ? parts[1] : password;
      }
    }
    return new Pg(host, port, db, user, password, e.string("PG_SCHEMA", "public"), e.integer("PG_POOL_SIZE", 16),
        Math.max(1, e.integer("PG_SEND_BATCH", 64)), Math.max(1, e.integer("PG_SEND_STATEMENTS", 1)),
        Math.max(1, e.integer("PG_SEND_QUEUE", 4096)),
        Math.max(0, e.integer("PG_STATEMENT_TIMEOUT_MS", (int) Math.max(100, busTimeoutMs / 5))));
  }

  private static Tls tls(Env e) {
    String mode = e.string(Tls.SWITCH, "on").toLowerCase(Locale.ROOT);
    if (!mode.equals("on") && !mode.equals("off")) {
      throw new IllegalArgumentException(Tls.SWITCH + " must be on or off, got '" + mode + "'");
    }
    return new Tls(mode.equals("on"), e.string(Tls.CERT, null), e.string(Tls.KEY, null), e.string(Tls.CA, null));
  }

  /** The JWT secret, or the development secret when dev login is on and none is set. */
  public String effectiveJwtSecret() {
    if (jwtSecret != null && !jwtSecret.isBlank()) {
      return jwtSecret;
    }
    return devLogin ? DEV_SECRET : null;
  }

  private record Env(Map<String, String> env) {
    String string(String key, String def) {
      String v = env.get(key);
      return v == null || v.isBlank() ? def : v.trim();
    }

    int integer(String key, int def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
      }
    }

    long longValue(String key, long def) {
      String v = string(key, null);
      if (v == null) {
        return def;
      }
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
      }
    }

    boolean bool(String key, boolean def) {
      String v = string(key, null);
      return v == null ? def : v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes");
    }

    List<String> list(String key, String def) {
      String v = string(key, def);
      return v == null || v.isBlank()
          ? List.of()
          : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
  }
}
