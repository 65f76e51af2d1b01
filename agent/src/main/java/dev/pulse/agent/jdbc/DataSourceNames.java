package dev.pulse.agent.jdbc;

/**
 * A readable name for a DataSource: its pool name where it has one (HikariCP's and Tomcat JDBC's
 * getPoolName, Vibur's getName), else its class.
 */
public final class DataSourceNames {
  private static final String[] NAME_GETTERS = {"getPoolName", "getName"};

  private DataSourceNames() {
  }

  public static String of(Object dataSource) {
    for (String getter : NAME_GETTERS) {
      try {
        Object name = dataSource.getClass().getMethod(getter).invoke(dataSource);
        if (name != null) {
          return name.toString();
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not named so
      }
    }
    return dataSource.getClass().getSimpleName() + "@"
        + Integer.toHexString(System.identityHashCode(dataSource));
  }
}
