package chat.examples.embedhost;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example product that embeds the chat page (docs/embedding.md). Its page ({@code /}) frames the chat page
 * from the chat's own origin and answers the page's token requests by {@code postMessage}; its backend keeps a
 * session per browser (a "log in as" form sets a cookie) and answers {@code POST /auth/chat-token} with a
 * short RS256 token for that session's user. The private key never leaves this process.
 *
 * <p>Run by hand: {@code java -jar examples/embed-host/target/embed-host-all.jar} (see docs/embedding.md).
 */
public final class EmbedHost {
  /** Where the product's backend answers tokens; also the chat's {@code TOKEN_ENDPOINT} behind a shared origin. */
  public static final String TOKEN_PATH = "/auth/chat-token";
  private static final String COOKIE = "host-session";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * {@code chatUrl}: the chat page as the browser loads it (its origin is where tokens are posted);
   * {@code privateKeyPem}: a PKCS#8 RSA key; {@code issuer}/{@code audience} may be null.
   */
  public record Options(String host, int port, String chatUrl, String privateKeyPem, int tokenSeconds,
                        String issuer, String audience) {}

  /** An RSA key pair as PEM: PKCS#8 private key, X.509 public key (the chat's {@code JWT_PUBLIC_KEY}). */
  public record KeyPairPem(String privateKey, String publicKey) {
    public static KeyPairPem generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return new KeyPairPem(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
            pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String pem(String type, byte[] der) {
      return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END " + type + "-----\n";
    }
  }

  private final Options options;
  private final JWTAuth signer;
  private final Map<String, String> sessions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> minted = new ConcurrentHashMap<>();
  private HttpServer server;

  private EmbedHost(Vertx vertx, Options options) {
    this.options = options;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(options.privateKeyPem())));
  }

  public static Future<EmbedHost> start(Vertx vertx, Options options) {
    EmbedHost host = new EmbedHost(vertx, options);
    Router router = Router.router(vertx);
    router.route().handler(rc -> {
      // No inline script anywhere, and only the chat's origin may be framed.
      rc.response().putHeader("Content-Security-Policy", "default-src 'self'; frame-src " + host.chatOrigin()
          + "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
          .putHeader("X-Content-Type-Options", "nosniff");
      rc.next();
    });
    router.post().handler(BodyHandler.create(false).setBodyLimit(4096));
    router.get("/config.json").handler(rc -> json(rc, 200, new JsonObject().put("chatUrl", options.chatUrl())));
    router.post("/login").handler(host::login);
    router.post("/logout").handler(host::logout);
    router.get("/auth/me").handler(rc -> {
      String user = host.user(rc);
      json(rc, user == null ? 401 : 200, user == null ? new JsonObject().put("error", "unauthorized")
          : new JsonObject().put("userId", user));
    });
    router.post(TOKEN_PATH).handler(rc -> {
      String user = host.user(rc);
      json(rc, user == null ? 401 : 200, user == null ? new JsonObject().put("error", "unauthorized")
          : new JsonObject().put("token", host.token(user)));
    });
    router.get("/*").handler(StaticHandler.create("embed-host").setIndexPage("index.html").setCachingEnabled(false));
    return vertx.createHttpServer().requestHandler(router).listen(options.port(), options.host())
        .map(s -> {
          host.server = s;
          return host;
        });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** A fresh token for {@code userId}: {@code sub}, {@code name}, {@code exp} {@code tokenSeconds} from now. */
  public String token(String userId) {
    minted.computeIfAbsent(userId, u -> new AtomicInteger()).incrementAndGet();
    JWTOptions jwt = new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(options.tokenSeconds());
    if (options.issuer() != null) {
      jwt.setIssuer(options.issuer());
    }
    if (options.audience() != null) {
      jwt.setAudience(List.of(options.audience()));
    }
    String name = Character.toUpperCase(userId.charAt(0)) + userId.substring(1);
    return signer.generateToken(new JsonObject().put("sub", userId).put("name", name), jwt);
  }

  /** How many tokens were minted for {@code userId} so far. */
  public int tokensMinted(String userId) {
    AtomicInteger n = minted.get(userId);
    return n == null ? 0 : n.get();
  }

  private String chatOrigin() {
    URI uri = URI.create(options.chatUrl());
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private void login(RoutingContext rc) {
    String user = rc.request().getFormAttribute("user");
    if (user == null || !user.matches("[A-Za-z0-9_.-]{1,64}")) {
      json(rc, 400, new JsonObject().put("error", "invalid_request"));
      return;
    }
    byte[] id = new byte[24];
    RANDOM.nextBytes(id);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    sessions.put(session, user);
    rc.response().addCookie(Cookie.cookie(COOKIE, session).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX));
    rc.response().setStatusCode(303).putHeader("Location", "/").end();
  }

  private void logout(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie != null) {
      sessions.remove(cookie.getValue());
    }
    rc.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
    rc.response().setStatusCode(303).putHeader("Location", "/").end();
  }

  private String user(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    return cookie == null ? null : sessions.get(cookie.getValue());
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /**
   * {@code EMBED_HOST_PORT} (8090), {@code CHAT_URL} (http://127.0.0.1:8080/), {@code EMBED_HOST_KEY} (a PKCS#8
   * PEM file; without it a key pair is generated and its public half written to {@code embed-host-public.pem}),
   * {@code TOKEN_SECONDS} (300), {@code TOKEN_ISSUER}, {@code TOKEN_AUDIENCE}.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    String keyFile = env.get("EMBED_HOST_KEY");
    String privateKey;
    if (keyFile != null) {
      privateKey = Files.readString(Path.of(keyFile));
    } else {
      KeyPairPem pair = KeyPairPem.generate();
      privateKey = pair.privateKey();
      Files.writeString(Path.of("embed-host-public.pem"), pair.publicKey());
      System.out.println("Generated a key pair; start the chat with JWT_PUBLIC_KEY="
          + Path.of("embed-host-public.pem").toAbsolutePath());
    }
    int port = Integer.parseInt(env.getOrDefault("EMBED_HOST_PORT", "8090"));
    Options options = new Options("127.0.0.1", port, env.getOrDefault("CHAT_URL", "http://127.0.0.1:8080/"),
        privateKey, Integer.parseInt(env.getOrDefault("TOKEN_SECONDS", "300")), env.get("TOKEN_ISSUER"),
        env.get("TOKEN_AUDIENCE"));
    start(Vertx.vertx(), options).onSuccess(h -> System.out.println("Example product on http://localhost:"
        + h.port() + "/ (the chat needs EMBED_ORIGINS=http://localhost:" + h.port() + ")"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
