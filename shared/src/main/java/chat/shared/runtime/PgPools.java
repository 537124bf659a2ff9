package chat.shared.runtime;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;

/** The Postgres pool of a service; {@code search_path} is the configured schema. */
public final class PgPools {
  private PgPools() {}

  public static PgConnectOptions connectOptions(ChatConfig.Pg pg) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(256)
        .setProperties(Map.of("search_path", pg.schema(), "application_name", "chat"));
    if (pg.password() != null) {
      options.setPassword(pg.password());
    }
    return options;
  }

  public static Pool create(Vertx vertx, ChatConfig.Pg pg) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setMaxWaitQueueSize(4096).setConnectionTimeout(5).setShared(false))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
