package chat.messaging;

import chat.shared.bus.Addresses;
import chat.shared.bus.Bus;
import chat.shared.bus.SharedEvent;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.PgPools;
import chat.shared.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;

/**
 * The messaging service: owns the Postgres pool and the {@code messaging} migrations, and serves
 * every {@code messaging.*} address of {@link Addresses}. Instances share nothing (each has its share
 * of {@code PG_POOL_SIZE}); several may run side by side, the bus spreads requests over them.
 */
public final class MessagingVerticle extends VerticleBase {
  static final String READINESS_CHECK = "postgres-messaging";

  private final ChatConfig config;
  private final int instances;
  private Pool pool;

  public MessagingVerticle(ChatConfig config) {
    this(config, 1);
  }

  private MessagingVerticle(ChatConfig config, int instances) {
    this.config = config;
    this.instances = instances;
  }

  /** {@code VERTICLE_INSTANCES} instances, the pool split between them. */
  public static Deployment deployment(ChatConfig config) {
    int n = config.verticleInstances();
    return new Deployment(() -> new MessagingVerticle(config, n), n);
  }

  @Override
  public Future<?> start() {
    SharedEvent.registerCodec(vertx);
    ChatConfig.Pg pg = config.pg().perInstance(instances);
    pool = PgPools.create(vertx, pg);
    return Migrator.migrate(pool, config.pg().schema(), "messaging")
        .compose(v -> {
          Readiness.register(vertx, READINESS_CHECK, () -> pool.query("SELECT 1").execute());
          MessageStore store = new PgMessageStore(pool, pg.sendBatch(), pg.sendStatements());
          UserHandler users = new UserHandler(store);
          ThreadHandler threads = new ThreadHandler(vertx, store);
          MemberHandler members = new MemberHandler(vertx, store);
          SendHandler send = new SendHandler(vertx, store);
          HistoryHandler history = new HistoryHandler(store);
          return Future.all(List.of(
              serve(Addresses.USER_UPSERT, users::upsert),
              serve(Addresses.THREAD_CREATE, threads::create),
              serve(Addresses.THREAD_LIST, threads::list),
              serve(Addresses.MEMBER_ADD, members::add),
              serve(Addresses.MEMBER_REMOVE, members::remove),
              serve(Addresses.MEMBER_CHECK, members::check),
              serve(Addresses.MESSAGE_SEND, send::send),
              serve(Addresses.MESSAGE_HISTORY, history::history)));
        })
        .onFailure(err -> pool.close());
  }

  /** Registers a handler; the future completes once the registration reached the cluster. */
  private Future<Void> serve(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, handler).completion();
  }

  @Override
  public Future<?> stop() {
    Readiness.unregister(vertx, READINESS_CHECK);
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
