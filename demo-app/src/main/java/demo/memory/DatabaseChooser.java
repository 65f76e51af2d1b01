package demo.memory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Picks the database: an explicit URL (which must work), $DEMO_JDBC_URL, a local PostgreSQL,
 * a Testcontainers pgvector where Docker runs, or an embedded H2 as the last resort.
 */
final class DatabaseChooser {
  static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/pulse?user=pulse&password=pulse";
  static final String EMBEDDED_URL = "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1";

  /** The chosen database and whether it has pgvector. */
  record Choice(String url, boolean vectors, String why) {
  }

  private DatabaseChooser() {
  }

  static Choice choose(DemoOptions options) {
    if (options.embedded()) {
      return new Choice(EMBEDDED_URL, false, "--embedded was given");
    }
    if (options.jdbcUrl() != null) {
      requireReachable(options.jdbcUrl(), "--jdbc-url");
      return new Choice(options.jdbcUrl(), true, "from --jdbc-url");
    }
    String fromEnvironment = System.getenv("DEMO_JDBC_URL");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      requireReachable(fromEnvironment, "DEMO_JDBC_URL");
      return new Choice(fromEnvironment, true, "from DEMO_JDBC_URL");
    }
    if (reachable(LOCAL_URL)) {
      return new Choice(LOCAL_URL, true, "PostgreSQL answers on 127.0.0.1:5432");
    }
    String container = Containers.startPgvector();
    if (container != null) {
      return new Choice(container, true, "started pgvector/pgvector with Testcontainers");
    }
    return new Choice(EMBEDDED_URL, false, "no PostgreSQL on 127.0.0.1:5432 and no Docker: using"
        + " an embedded H2 database; pool, error and system figures still flow, but vector search"
        + " stays idle because H2 has no pgvector (run scripts/provision-postgres.sh for it)");
  }

  private static void requireReachable(String url, String source) {
    try (Connection connection = connect(url)) {
      connection.isValid(2);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the database given by " + source + ": "
          + e.getMessage());
    }
  }

  private static boolean reachable(String url) {
    try (Connection connection = connect(url)) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static Connection connect(String url) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("loginTimeout", "2");
    return DriverManager.getConnection(url, properties);
  }
}
