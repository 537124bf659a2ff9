package chat.notifier;

import chat.shared.config.ChatConfig;
import java.net.URI;
import java.util.Map;

/**
 * The notifier's own settings (the cluster and Postgres ones are {@link ChatConfig}'s): {@code NOTIFY_WEBHOOK_URL}
 * (unset: notifications are only logged), {@code NOTIFY_WEBHOOK_SECRET} (required with a URL, at least 16
 * characters), {@code NOTIFY_DELAY_SECONDS} (default 30) and {@code NOTIFY_RETRY_MAX_SECONDS} (the cap of the
 * retry backoff, default 600). Its tables live in their own schema: {@code notifier}, or
 * {@code <PG_SCHEMA>_notifier} when {@code PG_SCHEMA} is not {@code public} (so tests stay isolated).
 */
public record NotifierConfig(URI webhookUrl, String webhookSecret, int delaySeconds, int retryMaxSeconds, ChatConfig.Pg pg) {
  public static final String WEBHOOK_URL = "NOTIFY_WEBHOOK_URL";
  public static final String WEBHOOK_SECRET = "NOTIFY_WEBHOOK_SECRET";
  public static final String DELAY_SECONDS = "NOTIFY_DELAY_SECONDS";
  public static final String RETRY_MAX_SECONDS = "NOTIFY_RETRY_MAX_SECONDS";

  public static NotifierConfig from(Map<String, String> env, ChatConfig chat) {
    URI url = null;
    String rawUrl = trimmed(env.get(WEBHOOK_URL));
    if (rawUrl != null) {
      url = URI.create(rawUrl);
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
        throw new IllegalArgumentException(WEBHOOK_URL + " must be an http or https URL, got '" + rawUrl + "'");
      }
    }
    String secret = trimmed(env.get(WEBHOOK_SECRET));
    if (url != null && (secret == null || secret.length() < 16)) {
      throw new IllegalArgumentException(WEBHOOK_SECRET + " (at least 16 characters) is required when " + WEBHOOK_URL + " is set");
    }
    int delay = integer(env, DELAY_SECONDS, 30, 1);
    int retryMax = integer(env, RETRY_MAX_SECONDS, 600, 1);
    ChatConfig.Pg base = chat.pg();
    String schema = "public".equals(base.schema()) ? "notifier" : base.schema() + "_notifier";
    ChatConfig.Pg pg = new ChatConfig.Pg(base.host(), base.port(), base.database(), base.user(), base.password(), schema,
        Math.min(base.poolSize(), 8), base.sendBatch(), base.sendStatements(), base.sendQueue(), base.statementTimeoutMs());
    return new NotifierConfig(url, secret, delay, retryMax, pg);
  }

  private static String trimmed(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static int integer(Map<String, String> env, String key, int def, int min) {
    String v = trimmed(env.get(key));
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min) {
        throw new IllegalArgumentException(key + " must be at least " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
    }
  }
}
