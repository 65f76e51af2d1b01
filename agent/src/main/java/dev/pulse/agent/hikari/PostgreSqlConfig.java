package dev.pulse.agent.hikari;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Driver;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads a HikariCP configuration (by reflection) for what the agent needs to reach the same
 * PostgreSQL server on its own: whether it is PostgreSQL at all, and a new physical connection made
 * as the pool makes its own (URL and driver, or the pool's DataSource class or object).
 */
final class PostgreSqlConfig {
  /** {@code jdbc:postgresql:}, also behind wrapping drivers ({@code jdbc:p6spy:postgresql:}). */
  private static final Pattern URL = Pattern.compile("^jdbc:([a-z0-9]+:)*postgresql:.*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final String PGJDBC = "org.postgresql.";

  private PostgreSqlConfig() {
  }

  static boolean matches(Object jdbcUrl, Object driverClassName, Object dataSourceClassName,
      Object dataSource) {
    if (jdbcUrl != null) {
      return URL.matcher(jdbcUrl.toString()).matches()
          || (driverClassName != null && driverClassName.toString().startsWith(PGJDBC));
    }
    if (dataSourceClassName != null) {
      return dataSourceClassName.toString().startsWith(PGJDBC);
    }
    return dataSource != null && dataSource.getClass().getName().startsWith(PGJDBC);
  }

  /** A new connection, or null when the driver does not accept the URL. */
  static Connection connect(Object config, ClassLoader loader, String applicationName)
      throws Exception {
    Object user = invoke(config, "getUsername");
    Object password = invoke(config, "getPassword");
    Properties extra = new Properties();
    Object configured = invoke(config, "getDataSourceProperties");
    if (configured instanceof Properties) {
      extra.putAll((Properties) configured);
    }
    Object url = invoke(config, "getJdbcUrl");
    if (url != null) {
      if (user != null) {
        extra.setProperty("user", user.toString());
      }
      if (password != null) {
        extra.setProperty("password", password.toString());
      }
      extra.setProperty("ApplicationName", applicationName);
      Object driverName = invoke(config, "getDriverClassName");
      String driverClass = driverName != null ? driverName.toString() : "org.postgresql.Driver";
      Driver driver = (Driver) Class.forName(driverClass, true, loader)
          .getDeclaredConstructor().newInstance();
      return driver.connect(url.toString(), extra);
    }
    // A DataSource of pgjdbc's makes a new physical connection at each getConnection.
    Object dataSource = invoke(config, "getDataSource");
    if (dataSource == null) {
      Object className = invoke(config, "getDataSourceClassName");
      dataSource = Class.forName(className.toString(), true, loader).getDeclaredConstructor().newInstance();
      for (Map.Entry<Object, Object> property : extra.entrySet()) {
        setProperty(dataSource, property.getKey().toString(), property.getValue());
      }
      setProperty(dataSource, "applicationName", applicationName);
    }
    return user != null
        ? ((DataSource) dataSource).getConnection(user.toString(), password == null ? null : password.toString())
        : ((DataSource) dataSource).getConnection();
  }

  /** Sets a bean property as HikariCP does for dataSourceClassName (String, int, long, boolean). */
  private static void setProperty(Object target, String property, Object value) throws Exception {
    String setter = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
    String text = String.valueOf(value);
    for (Method method : target.getClass().getMethods()) {
      if (!method.getName().equals(setter) || method.getParameterCount() != 1) {
        continue;
      }
      Class<?> type = method.getParameterTypes()[0];
      if (type == String.class) {
        method.invoke(target, text);
      } else if (type == int.class) {
        method.invoke(target, Integer.parseInt(text));
      } else if (type == long.class) {
        method.invoke(target, Long.parseLong(text));
      } else if (type == boolean.class) {
        method.invoke(target, Boolean.parseBoolean(text));
      } else {
        continue;
      }
      return;
    }
  }

  private static Object invoke(Object target, String method) throws ReflectiveOperationException {
    return target.getClass().getMethod(method).invoke(target);
  }
}
