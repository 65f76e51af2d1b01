package dev.pulse.agent.hosts.isolated;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;

/**
 * A web application as a servlet container would load it: in a class loader of its own, with its
 * own HikariCP and driver. It runs JDBC of every kind (a kept statement, a batch, a vector search,
 * a failure), then closes everything and deregisters its driver, as a well-behaved application
 * does when it is undeployed. Loaded only by {@link dev.pulse.agent.hosts.RedeployHost}.
 */
public final class RedeployedApp {
  private RedeployedApp() {
  }

  public static void run(String url, String table) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("redeployed-pool");
    config.setMaximumPoolSize(2);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        statement.execute("DROP TABLE IF EXISTS " + table);
        statement.execute("CREATE TABLE " + table + " (id int, embedding vector(3))");
        statement.execute("INSERT INTO " + table + " SELECT i, ARRAY[i, 1, 2]::vector"
            + " FROM generate_series(1, 10) i");
        try (PreparedStatement search = connection.prepareStatement(
            "SELECT id FROM " + table + " ORDER BY embedding <-> ?::vector LIMIT ?")) {
          for (int i = 0; i < 20; i++) {
            search.setString(1, "[1,1," + i + "]");
            search.setInt(2, 3);
            read(search.executeQuery());
          }
        }
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
          insert.setInt(1, 100);
          insert.addBatch();
          insert.executeBatch();
        }
        try (CallableStatement call = connection.prepareCall("SELECT count(*) FROM " + table)) {
          read(call.executeQuery());
        }
        try {
          statement.execute("SELECT * FROM pulse_redeploy_missing");
        } catch (SQLException expected) {
          // the firewall sees it
        }
      }
    }
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == RedeployedApp.class.getClassLoader()) {
        DriverManager.deregisterDriver(driver);
      }
    }
  }

  private static void read(ResultSet rows) throws SQLException {
    try (rows) {
      while (rows.next()) {
        rows.getObject(1);
      }
    }
  }
}
