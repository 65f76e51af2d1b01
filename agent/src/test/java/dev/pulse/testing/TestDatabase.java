package dev.pulse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL + pgvector the tests run against: {@code PULSE_TEST_JDBC_URL} when set (what
 * {@code scripts/provision-postgres.sh} prints), else a Testcontainers {@code pgvector/pgvector}
 * container where Docker runs, else a failure that says how to get one.
 */
public final class TestDatabase {
  public static final String URL_VARIABLE = "PULSE_TEST_JDBC_URL";
  private static final String IMAGE = "pgvector/pgvector:pg16";

  private static String url;
  private static PostgreSQLContainer<?> container;

  private TestDatabase() {
  }

  /** A JDBC URL with user and password in it. */
  public static synchronized String jdbcUrl() {
    if (url != null) {
      return url;
    }
    String fromEnvironment = System.getenv(URL_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      url = fromEnvironment;
    } else if (dockerAvailable()) {
      container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE)
          .asCompatibleSubstituteFor("postgres"));
      container.start();
      url = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
          + "user=" + container.getUsername() + "&password=" + container.getPassword();
    } else {
      throw new IllegalStateException("No test database. Set " + URL_VARIABLE
          + " to a PostgreSQL with pgvector, for example the URL that"
          + " `bash scripts/provision-postgres.sh` prints (it installs and starts one on Debian or"
          + " Ubuntu), or run where Docker is available so Testcontainers can start " + IMAGE + ".");
    }
    return url;
  }

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
