package dev.pulse.agent.hikari;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.agent.jdbc.PoolMetrics;
import java.lang.reflect.Method;
import java.sql.Connection;

/**
 * One running HikariCP pool, reached by reflection: the agent is never linked against the host's
 * HikariCP (which may be any version, in any class loader). Each method is resolved once, when
 * the pool is found. Reads and writes happen on the agent's threads only.
 */
public final class HikariPoolHandle {
  private final Object config;
  private final Object pool;
  private final DataSourceKey key;
  private final String name;
  private volatile int configuredSize;
  private final int configuredMinimumIdle;
  private final PoolMetrics metrics;
  private final Method maximumPoolSize;
  private final Method minimumIdle;
  private final Method setMaximumPoolSize;
  private final Method setMinimumIdle;
  private final Method isClosed;
  private final Method activeConnections;
  private final Method idleConnections;
  private final Method totalConnections;
  private final Method threadsAwaiting;

  HikariPoolHandle(Object config, Object pool, DataSourceKey key, PoolMetrics metrics)
      throws ReflectiveOperationException {
    this.config = config;
    this.pool = pool;
    this.key = key;
    this.metrics = metrics;
    Class<?> configType = config.getClass();
    Class<?> poolType = pool.getClass();
    this.maximumPoolSize = configType.getMethod("getMaximumPoolSize");
    this.minimumIdle = configType.getMethod("getMinimumIdle");
    this.setMaximumPoolSize = configType.getMethod("setMaximumPoolSize", int.class);
    this.setMinimumIdle = configType.getMethod("setMinimumIdle", int.class);
    this.isClosed = closedMethod(configType);
    this.activeConnections = poolType.getMethod("getActiveConnections");
    this.idleConnections = poolType.getMethod("getIdleConnections");
    this.totalConnections = poolType.getMethod("getTotalConnections");
    this.threadsAwaiting = poolType.getMethod("getThreadsAwaitingConnection");
    this.name = String.valueOf(configType.getMethod("getPoolName").invoke(config));
    this.configuredSize = (Integer) maximumPoolSize.invoke(config);
    this.configuredMinimumIdle = (Integer) minimumIdle.invoke(config);
  }

  public String name() {
    return name;
  }

  Object config() {
    return config;
  }

  /** The key borrows from this pool are reported under. */
  public DataSourceKey key() {
    return key;
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

  /** The pool's figures now, read together. */
  public PoolState state() {
    return new PoolState(intCall(maximumPoolSize, config), intCall(minimumIdle, config),
        intCall(activeConnections, pool), intCall(idleConnections, pool),
        intCall(totalConnections, pool), intCall(threadsAwaiting, pool));
  }

  /** True once the application closed the pool (where the config is its HikariDataSource). */
  public boolean isClosed() {
    return isClosed(isClosed, config);
  }

  /** For a pool not followed yet: a last top-up may race the pool's shutdown. */
  static boolean isClosed(Object config) {
    return isClosed(closedMethod(config.getClass()), config);
  }

  private static boolean isClosed(Method isClosed, Object config) {
    try {
      return isClosed != null && Boolean.TRUE.equals(isClosed.invoke(config));
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** A bare HikariConfig has no isClosed: the pool lives as long as the JVM. */
  private static Method closedMethod(Class<?> configType) {
    try {
      return configType.getMethod("isClosed");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  public void setMaximumSize(int size) throws ReflectiveOperationException {
    setMaximumPoolSize.invoke(config, size);
  }

  public void setMinimumIdle(int size) throws ReflectiveOperationException {
    setMinimumIdle.invoke(config, size);
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
      for (int i = 0; i < count && intCall(idleConnections, pool) > 0; i++) {
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

  private static int intCall(Method method, Object target) {
    try {
      return (Integer) method.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(method.getName() + " failed on " + target.getClass().getName(), e);
    }
  }
}
