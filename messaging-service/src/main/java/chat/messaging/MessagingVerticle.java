package chat.messaging;

import chat.api.v1.ApiV1;
import chat.shared.bus.BrowserEvents;
import chat.shared.bus.Bus;
import chat.shared.bus.Endpoint;
import chat.shared.config.ChatConfig;
import chat.shared.db.Migrator;
import chat.shared.protocol.Messaging;
import chat.shared.runtime.Deployment;
import chat.shared.runtime.PgPools;
import chat.shared.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;

/**
 * The messaging service: owns the Postgres pool and the {@code messaging} migrations, and serves
 * every {@code messaging.*} endpoint of {@link Messaging} and its share of the service API ({@link ApiV1}). A process runs one instance (see
 * {@link #deployment}); several processes may run side by side, the bus spreads requests over them.
 */
public final class MessagingVerticle extends VerticleBase {
  static final String READINESS_CHECK = "postgres-messaging";

  private final ChatConfig config;
  /** How often sends waiting past their deadline are failed (they fail sooner when a batch is taken). */
  static final long EXPIRY_SWEEP_MS = 100;

  private Pool pool;
  private long expiry = -1;

  public MessagingVerticle(ChatConfig config) {
    this.config = config;
  }

  /**
   * One instance per process, whatever {@code VERTICLE_INSTANCES} says: the instance is the process's
   * single batching point for sends ({@link PgMessageStore}), so concurrent sends leave in as few and as
   * large statements as possible. Two instances would each run their own statements, which lock the same
   * threads' rows and wait for each other's commits; measured on 2 cores, that doubled Postgres's CPU per
   * send and lowered the send rate.
   */
  public static Deployment deployment(ChatConfig config) {
    return new Deployment(() -> new MessagingVerticle(config), 1);
  }

  @Override
  public Future<?> start() {
    ChatConfig.Pg pg = config.pg();
    pool = PgPools.create(vertx, pg, pg.statementTimeoutMs());
    return Migrator.migrate(vertx, pg, "messaging")
        .compose(v -> {
          Readiness.register(vertx, READINESS_CHECK, () -> pool.query("SELECT 1").execute());
          PgMessageStore store = new PgMessageStore(pool, pg.sendBatch(), pg.sendStatements(), pg.sendQueue(),
              pg.statementTimeoutMs());
          expiry = vertx.setPeriodic(EXPIRY_SWEEP_MS, id -> store.expireWaitingSends());
          UserHandler users = new UserHandler(store);
          BrowserEvents browsers = new BrowserEvents(vertx, config.busRouting());
          ThreadHandler threads = new ThreadHandler(vertx, browsers, store, config.maxThreadMembers());
          MemberHandler members = new MemberHandler(vertx, browsers, store, config.maxThreadMembers(),
              config.busTimeoutMs() / 2);
          SendHandler send = new SendHandler(vertx, browsers, store);
          HistoryHandler history = new HistoryHandler(store);
          ChangeHandler changes = new ChangeHandler(vertx, browsers, store);
          ApiV1Handlers v1 = new ApiV1Handlers(users, threads, members, send, history, changes);
          AttachmentHandler attachments = new AttachmentHandler(new PgAttachmentRecords(pool), config);
          return Future.all(List.of(
              serve(Messaging.USER_UPSERT, users::upsert),
              serve(Messaging.THREAD_CREATE, threads::create),
              serve(Messaging.THREAD_LIST, threads::list),
              serve(Messaging.MEMBER_ADD, members::add),
              serve(Messaging.MEMBER_REMOVE, members::remove),
              serve(Messaging.MEMBER_CHECK, members::check),
              serve(Messaging.MEMBER_LIST, members::list),
              serve(Messaging.THREAD_RENAME, threads::rename),
              serve(Messaging.MEMBER_ROLE, members::changeRole),
              serve(Messaging.THREAD_MUTE, members::mute),
              serve(Messaging.MESSAGE_SEND, send::send),
              serve(Messaging.MESSAGE_HISTORY, history::history),
              serve(ApiV1.UPSERT_USER, v1::upsertUser),
              serve(ApiV1.CREATE_THREAD, v1::createThread),
              serve(ApiV1.ADD_MEMBER, v1::addMember),
              serve(ApiV1.REMOVE_MEMBER, v1::removeMember),
              serve(ApiV1.SEND_MESSAGE, v1::send),
              serve(ApiV1.GET_HISTORY, v1::history),
              serve(ApiV1.EDIT_MESSAGE, v1::edit),
              serve(ApiV1.DELETE_MESSAGE, v1::delete),
              serve(ApiV1.GET_THREAD, v1::thread),
              serve(ApiV1.RENAME_THREAD, v1::rename),
              serve(ApiV1.CHANGE_ROLE, v1::changeRole),
              serve(ApiV1.MUTE_THREAD, v1::mute),
              serve(Messaging.MESSAGE_EDIT, changes::edit),
              serve(Messaging.MESSAGE_DELETE, changes::delete),
              serve(Messaging.ATTACHMENT_CREATE, attachments::create),
              serve(Messaging.ATTACHMENT_GET, attachments::get),
              serve(Messaging.ATTACHMENT_SWEEP, attachments::sweep),
              serve(Messaging.ATTACHMENT_PURGED, attachments::purged)));
        })
        .onFailure(err -> pool.close());
  }

  /** Registers a handler; the future completes once the registration reached the cluster. */
  private <Q, R> Future<Void> serve(Endpoint<Q, R> endpoint, Function<Q, Future<R>> handler) {
    return Bus.serve(vertx, endpoint, handler).completion();
  }

  @Override
  public Future<?> stop() {
    Readiness.unregister(vertx, READINESS_CHECK);
    vertx.cancelTimer(expiry);
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
