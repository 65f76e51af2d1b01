package dev.pulse.agent.hikari;

import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.instrumentation.PulseHooks;
import java.lang.reflect.InvocationTargetException;
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
   * A new connection of the agent's own, made the way this pool makes its connections (same URL,
   * credentials and properties), through the driver the pool's class loader sees, never taken from
   * the pool. The caller owns and closes it.
   */
  public Connection openSeparateConnection() throws Exception {
    String url = (String) invoke(config, "getJdbcUrl");
    if (url == null) {
      throw new IllegalStateException("pool " + name + " has no JDBC URL (it uses a DataSource)");
    }
    java.util.Properties properties = new java.util.Properties();
    Object extra = invoke(config, "getDataSourceProperties");
    if (extra instanceof java.util.Properties) {
      properties.putAll((java.util.Properties) extra);
    }
    Object user = invoke(config, "getUsername");
    Object password = invoke(config, "getPassword");
    if (user != null) {
      properties.setProperty("user", user.toString());
    }
    if (password != null) {
      properties.setProperty("password", password.toString());
    }
    properties.setProperty("ApplicationName", "pulse-recall");
    ClassLoader loader = pool.getClass().getClassLoader();
    Object driverName = invoke(config, "getDriverClassName");
    String driverClass = driverName != null ? driverName.toString() : "org.postgresql.Driver";
    java.sql.Driver driver = (java.sql.Driver) Class.forName(driverClass, true, loader)
        .getDeclaredConstructor().newInstance();
    PulseHooks.enterInternal();
    try {
      Connection connection = driver.connect(url, properties);
      if (connection == null) {
        throw new IllegalStateException(driverClass + " does not accept " + url);
      }
      return connection;
    } finally {
      PulseHooks.exitInternal();
    }
  }

  /** Runs {@code work} on a connection of this pool, as the agent's own work, not the application's. */
  public <T> T withConnection(SqlWork<T> work) throws Exception {
    PulseHooks.enterInternal();
    try (Connection connection = (Connection) pool.getClass().getMethod("getConnection").invoke(pool)) {
      return work.apply(connection);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } finally {
      PulseHooks.exitInternal();
    }
  }

  /** A piece of JDBC work. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws Exception;
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
