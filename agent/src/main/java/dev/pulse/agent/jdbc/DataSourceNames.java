package dev.pulse.agent.jdbc;

/** A readable name for a DataSource: its pool name where it has one (HikariCP), else its class. */
public final class DataSourceNames {
  private DataSourceNames() {
  }

  public static String of(Object dataSource) {
    try {
      Object name = dataSource.getClass().getMethod("getPoolName").invoke(dataSource);
      if (name != null) {
        return name.toString();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a named pool
    }
    return dataSource.getClass().getSimpleName() + "@"
        + Integer.toHexString(System.identityHashCode(dataSource));
  }
}
