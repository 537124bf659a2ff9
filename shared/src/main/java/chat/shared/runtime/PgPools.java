package chat.shared.runtime;

import chat.shared.config.ChatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashMap;
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
    return create(vertx, pg, 0);
  }

  /**
   * A pool whose statements Postgres cancels after {@code statementTimeoutMs} (0: never). TCP keepalive is
   * on, so a connection whose peer vanished (a host gone, a dropped route) fails instead of waiting forever.
   */
  public static Pool create(Vertx vertx, ChatConfig.Pg pg, long statementTimeoutMs) {
    PgConnectOptions options = connectOptions(pg);
    if (statementTimeoutMs > 0) {
      Map<String, String> properties = new HashMap<>(options.getProperties());
      properties.put("statement_timeout", Long.toString(statementTimeoutMs));
      options.setProperties(properties);
    }
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setMaxWaitQueueSize(4096).setConnectionTimeout(5).setShared(false))
        .with(new NetClientOptions().setTcpKeepAlive(true))
        .connectingTo(options)
        .using(vertx)
        .build();
  }
}
