package chat.notifier;

import chat.client.ChatClient;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.PgPools;
import chat.shared.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: migrates its schema, follows the v1 events (a message sent, a read, a member added or
 * removed), catches up on every thread it follows, then delivers what is due every half second. One
 * instance per process; replicas share the schema.
 */
public final class NotifierVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierVerticle.class);
  static final String VIA = "notifier";
  private static final String READINESS = "notifier";
  private static final long DISPATCH_PERIOD_MS = 500;

  private final ChatConfig config;
  private final NotifierConfig notify;
  private Pool pool;
  private Webhook webhook;
  private Dispatcher dispatcher;

  public NotifierVerticle(ChatConfig config, NotifierConfig notify) {
    this.config = config;
    this.notify = notify;
  }

  public static Deployment deployment(ChatConfig config, NotifierConfig notify) {
    return new Deployment(() -> new NotifierVerticle(config, notify), 1);
  }

  @Override
  public Future<?> start() {
    return Migrator.migrate(vertx, notify.pg(), "notifier").compose(v -> {
      pool = PgPools.create(vertx, notify.pg());
      NotificationStore store = new NotificationStore(pool);
      ChatClient chat = ChatClient.on(vertx, VIA, config.busTimeoutMs());
      Ingest ingest = new Ingest(chat, store, notify.delaySeconds());
      webhook = new Webhook(vertx, notify.webhookUrl(), notify.webhookSecret());
      dispatcher = new Dispatcher(vertx, chat, store, webhook, notify.retryMaxSeconds());
      Readiness.register(vertx, READINESS, () -> pool.query("SELECT 1 FROM notifications LIMIT 0").execute());
      List<ChatClient.Subscription> subscriptions = List.of(
          chat.onMessageSent(ingest::messageSent),
          chat.onMemberAdded(ingest::memberAdded),
          // these two only end windows early; the check at the due time decides anyway
          chat.onMemberRemoved(e -> store.dropLeft(e.userId(), e.threadId()).onFailure(NotifierVerticle::logDropFailed)),
          chat.onReadMoved(e -> store.dropRead(e.userId(), e.threadId(), e.lastReadSeq()).onFailure(NotifierVerticle::logDropFailed)));
      // subscribed first, then the catch-up: a message sent in between is seen by one or the other
      return Future.all(subscriptions.stream().map(ChatClient.Subscription::ready).toList())
          .compose(ready -> ingest.catchUp())
          .onSuccess(ready -> dispatcher.start(DISPATCH_PERIOD_MS));
    });
  }

  private static void logDropFailed(Throwable e) {
    LOG.warn("Cannot end a window early (it is checked when due): {}", e.getMessage());
  }

  @Override
  public Future<?> stop() {
    Readiness.unregister(vertx, READINESS);
    if (dispatcher != null) {
      dispatcher.stop();
    }
    return (webhook == null ? Future.succeededFuture() : webhook.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
