package chat.unread;

import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.config.ChatConfig;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Unread;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.PgPools;
import chat.shared.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * unread-service: read markers, badges and receipts over the bus ({@code unread.*}), the badge pushes
 * after sends and deletes ({@code events.message-sent.unread}, {@code events.message-deleted.unread}),
 * and the service API's unread call and read-marker events. Reads the messaging schema; it does not
 * migrate it (messaging-service owns it), so it is ready once Postgres answers and the schema exists.
 */
public final class UnreadVerticle extends VerticleBase {
  static final String READINESS = "postgres-unread";
  static final int MAX_DIRTY_PAIRS = 50_000;
  static final int FLUSH_CHUNK_PAIRS = 10_000;

  private final ChatConfig config;
  private Pool pool;
  private BadgePusher pusher;

  public UnreadVerticle(ChatConfig config) {
    this.config = config;
  }

  /**
   * One instance per process: the badge pusher runs its flushes one at a time so that a user never
   * receives an older badge after a newer one, which two pushers could not promise.
   */
  public static Deployment deployment(ChatConfig config) {
    return new Deployment(() -> new UnreadVerticle(config), 1);
  }

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config.pg());
    UnreadStore store = new PgUnreadStore(pool);
    BrowserEvents browsers = new BrowserEvents(vertx, config.busRouting());
    pusher = new BadgePusher(vertx, browsers, store, config.unreadFlushMs(), MAX_DIRTY_PAIRS, FLUSH_CHUNK_PAIRS);
    UnreadHandlers handlers = new UnreadHandlers(vertx, browsers, store, pusher);
    Readiness.register(vertx, READINESS, () -> pool.query("SELECT 1 FROM thread_members LIMIT 0").execute());
    List<MessageConsumer<Object>> consumers = new ArrayList<>(List.of(
        Bus.serve(vertx, Unread.MARK_READ, handlers::markRead),
        Bus.serve(vertx, Unread.BADGE, handlers::badge),
        Bus.serve(vertx, Unread.RECEIPTS, handlers::receipts),
        Bus.consume(vertx, Messaging.MESSAGE_SENT_UNREAD, handlers::messageSent),
        Bus.consume(vertx, Messaging.MESSAGE_DELETED_UNREAD, handlers::messageDeleted)));
    consumers.addAll(new ApiV1Unread(store).register(vertx));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    Readiness.unregister(vertx, READINESS);
    return pusher.drain()
        .timeout(config.busTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .eventually(() -> pool.close());
  }
}
