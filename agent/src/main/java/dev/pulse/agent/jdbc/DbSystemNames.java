package dev.pulse.agent.jdbc;

import java.util.Locale;

/**
 * The OpenTelemetry {@code db.system.name} of a DataSource, read from its configuration without
 * connecting: the JDBC URL's subprotocol (behind wrapping drivers such as p6spy), else the package
 * of its driver or DataSource class; {@code other_sql} when none of these says.
 */
public final class DbSystemNames {
  static final String OTHER = "other_sql";
  /** Subprotocol or package fragment, and the conventions' name for it. */
  private static final String[][] KNOWN = {
      {"postgresql", "postgresql"}, {"pgjdbc", "postgresql"}, {"h2", "h2database"},
      {"mysql", "mysql"}, {"mariadb", "mariadb"}, {"sqlserver", "microsoft.sql_server"},
      {"jtds", "microsoft.sql_server"}, {"oracle", "oracle.db"}, {"hsqldb", "hsqldb"},
      {"derby", "derby"}, {"sqlite", "sqlite"}, {"db2", "ibm.db2"}, {"clickhouse", "clickhouse"},
      {"cockroachdb", "cockroachdb"}, {"redshift", "aws.redshift"}, {"firebirdsql", "firebirdsql"},
      {"trino", "trino"}};

  private DbSystemNames() {
  }

  /** {@code dataSource}: a DataSource or a HikariCP config; null gives {@code other_sql}. */
  public static String of(Object dataSource) {
    if (dataSource == null) {
      return OTHER;
    }
    Object url = call(dataSource, "getJdbcUrl");
    if (url == null) {
      url = call(dataSource, "getUrl"); // pgjdbc, H2, MySQL DataSources
    }
    if (url != null) {
      String named = fromUrl(url.toString());
      if (named != null) {
        return named;
      }
    }
    for (String getter : new String[] {"getDriverClassName", "getDataSourceClassName"}) {
      Object className = call(dataSource, getter);
      if (className != null) {
        return fromClass(className.toString());
      }
    }
    Object wrapped = call(dataSource, "getDataSource");
    return fromClass((wrapped != null ? wrapped : dataSource).getClass().getName());
  }

  /** {@code jdbc:postgresql://...}, {@code jdbc:p6spy:h2:mem:x}: the first known subprotocol. */
  static String fromUrl(String url) {
    String[] parts = url.toLowerCase(Locale.ROOT).split(":");
    if (parts.length < 2 || !parts[0].equals("jdbc")) {
      return null;
    }
    for (int i = 1; i < parts.length - 1; i++) {
      for (String[] known : KNOWN) {
        if (parts[i].equals(known[0])) {
          return known[1];
        }
      }
    }
    return null;
  }

  static String fromClass(String className) {
    String lower = className.toLowerCase(Locale.ROOT);
    for (String[] known : KNOWN) {
      if (lower.contains("." + known[0] + ".") || lower.startsWith(known[0] + ".")) {
        return known[1];
      }
    }
    return OTHER;
  }

  private static Object call(Object target, String getter) {
    try {
      return target.getClass().getMethod(getter).invoke(target);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
