package dev.pulse.agent.hikari;

import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.instrumentation.PulseHooks;
import java.lang.reflect.Method;
import java.sql.Connection;

/**
 * One running HikariCP pool, reached by reflection: the agent is never linked against the host's
 * HikariCP (which may be any version, in any class loader). Reads and writes happen on the agent's
 * threads only.
 */
public final class HikariPoolHandle {
  private final Object config;
  private final Object pool;
  private final String name;
  private volatile int configuredSize;
  private final int configuredMinimumIdle;
  private final PoolMetrics metrics;

  HikariPoolHandle(Object config, Object pool, PoolMetrics metrics) throws ReflectiveOperationException {
    this.config = config;
    this.pool = pool;
    this.metrics = metrics;
    this.name = String.valueOf(invoke(config, "getPoolName"));
    this.configuredSize = (Integer) invoke(config, "getMaximumPoolSize");
    this.configuredMinimumIdle = (Integer) invoke(config, "getMinimumIdle");
  }

  public String name() {
    return name;
  }

  Object config() {
    return config;
  }

  public PoolMetrics metrics() {
    return metrics;
  }

  /**
   * The maximum size the application wants: as configured when the pool started, or as the
   * application (or an operator) last set it. The sizer's floor and ceiling are relative to it.
   */
  public int configuredSize() {
    return configuredSize;
  }

  void configuredSizeChanged(int size) {
    configuredSize = size;
  }

  public int configuredMinimumIdle() {
    return configuredMinimumIdle;
  }

  public int maximumSize() {
    return intCall(config, "getMaximumPoolSize");
  }

  public int minimumIdle() {
    return intCall(config, "getMinimumIdle");
  }

  public int active() {
    return intCall(pool, "getActiveConnections");
  }

  public int idle() {
    return intCall(pool, "getIdleConnections");
  }

  public int total() {
    return intCall(pool, "getTotalConnections");
  }

  public int waiting() {
    return intCall(pool, "getThreadsAwaitingConnection");
  }

  /** True once the application closed the pool (where the config is its HikariDataSource). */
  public boolean isClosed() {
    return isClosed(config);
  }

  static boolean isClosed(Object config) {
    try {
      Object closed = config.getClass().getMethod("isClosed").invoke(config);
      return Boolean.TRUE.equals(closed);
    } catch (ReflectiveOperationException e) {
      return false; // a bare HikariConfig does not know; the pool lives as long as the JVM
    }
  }

  public void setMaximumSize(int size) throws ReflectiveOperationException {
    config.getClass().getMethod("setMaximumPoolSize", int.class).invoke(config, size);
  }

  public void setMinimumIdle(int size) throws ReflectiveOperationException {
    config.getClass().getMethod("setMinimumIdle", int.class).invoke(config, size);
  }

  /**
   * Closes up to {@code count} idle connections now, so a lower maximum takes effect without
   * waiting for idle reaping (which never happens when minimumIdle equals the maximum). Borrows
   * only what is idle, with a short timeout, as the pool's own upkeep.
   */
  public int closeIdle(int count, long timeoutMillis) {
    int closed = 0;
    PulseHooks.enterInternal();
    try {
      Method borrow = pool.getClass().getMethod("getConnection", long.class);
      Method evict = pool.getClass().getMethod("evictConnection", Connection.class);
      for (int i = 0; i < count && idle() > 0; i++) {
        Connection connection = (Connection) borrow.invoke(pool, timeoutMillis);
        evict.invoke(pool, connection);
        closed++;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // nothing idle was left (timeout) or the pool is closing: the housekeeper finishes the job
    } finally {
      PulseHooks.exitInternal();
    }
    return closed;
  }

  /**
   * True when the pool's configuration names PostgreSQL: its JDBC URL, driver class, DataSource
   * class or DataSource object. Decided without connecting: the agent opens connections of its own
   * only to PostgreSQL, whose settings it reads.
   */
  public boolean isPostgreSql() {
    return PostgreSqlConfig.matches(optional("getJdbcUrl"), optional("getDriverClassName"),
        optional("getDataSourceClassName"), optional("getDataSource"));
  }

  /**
   * A new connection of the agent's own, made the way this pool makes its connections (same URL or
   * DataSource, credentials and properties), through the classes the pool's class loader sees,
   * never taken from the pool. The caller owns and closes it; it runs as the agent's own work, so
   * neither the connect nor its statements count in the application's figures.
   */
  public Connection openSeparateConnection(String applicationName) throws Exception {
    PulseHooks.enterInternal();
    try {
      Connection connection = PostgreSqlConfig.connect(config, pool.getClass().getClassLoader(),
          applicationName);
      if (connection == null) {
        throw new IllegalStateException("the driver of pool " + name + " does not accept its URL");
      }
      return connection;
    } finally {
      PulseHooks.exitInternal();
    }
  }

  private Object optional(String getter) {
    try {
      return invoke(config, getter);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object invoke(Object target, String method) throws ReflectiveOperationException {
    return target.getClass().getMethod(method).invoke(target);
  }

  private static int intCall(Object target, String method) {
    try {
      return (Integer) invoke(target, method);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(method + " failed on " + target.getClass().getName(), e);
    }
  }
}
