package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application whose statements, slow statements and held connections the query table, the
 * slow-statement report and the leak detector must see; it knows nothing of the agent. Commands
 * on stdin, each answered by a line once done:
 *
 * <pre>
 * shapes    7 lookups by id (literals), 5 IN lists of 1..5 values, 3 prepared updates, 4 vector
 *           searches with inlined vectors: "shapes done"
 * slow      one SELECT pg_sleep(1.2) from {@link #slowReport}: "slow done"
 * leak      borrows a connection in {@link #borrowAndKeep} and keeps it: "leak borrowed"
 * exhaust   borrows the other connection in {@link #holdSecond}, asks for a third (it times out),
 *           gives the second back: "exhausted"
 * return    closes the kept connection: "leak returned"
 * quit
 * </pre>
 */
public final class QueryHost {
  /** A literal the application sends; it must appear in no message. */
  public static final String LITERAL = "lit-Qx7-secret";
  private static HikariDataSource dataSource;
  private static Connection kept;

  private QueryHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("query-pool");
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(1000);
    dataSource = new HikariDataSource(config);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      statement.execute("DROP TABLE IF EXISTS pulse_it_queries");
      statement.execute("CREATE TABLE pulse_it_queries (id int PRIMARY KEY, name text,"
          + " embedding vector(3))");
      statement.execute("INSERT INTO pulse_it_queries SELECT i, 'n' || i,"
          + " ARRAY[i, i + 1, i + 2]::vector FROM generate_series(1, 10) i");
    }
    System.out.println("host ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
      switch (line.trim()) {
        case "shapes":
          shapes();
          System.out.println("shapes done");
          break;
        case "slow":
          slowReport();
          System.out.println("slow done");
          break;
        case "leak":
          borrowAndKeep();
          System.out.println("leak borrowed");
          break;
        case "exhaust":
          holdSecond();
          System.out.println("exhausted");
          break;
        case "return":
          kept.close();
          System.out.println("leak returned");
          break;
        default:
          System.out.println("unknown command " + line);
      }
    }
    dataSource.close();
  }

  private static void shapes() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (int i = 1; i <= 7; i++) {
        read(statement.executeQuery("SELECT name FROM pulse_it_queries WHERE id = " + i
            + " AND name <> '" + LITERAL + "'"));
      }
      StringBuilder list = new StringBuilder();
      for (int i = 1; i <= 5; i++) {
        list.append(i == 1 ? "" : ", ").append(i);
        read(statement.executeQuery("SELECT count(*) FROM pulse_it_queries WHERE id IN (" + list
            + ")"));
      }
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE pulse_it_queries SET name = ? WHERE id = ?")) {
        for (int i = 1; i <= 3; i++) {
          update.setString(1, LITERAL + i);
          update.setInt(2, i);
          update.executeUpdate();
        }
      }
      for (int i = 1; i <= 4; i++) {
        read(statement.executeQuery("SELECT id FROM pulse_it_queries ORDER BY embedding <-> '["
            + i + ".5, 2, 3]' LIMIT 3"));
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

  static void slowReport() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      read(statement.executeQuery("SELECT pg_sleep(1.2)"));
    }
  }

  static void borrowAndKeep() throws SQLException {
    kept = dataSource.getConnection();
  }

  static void holdSecond() throws SQLException {
    try (Connection second = dataSource.getConnection()) {
      try (Connection third = dataSource.getConnection()) {
        throw new IllegalStateException("a third connection from a pool of two");
      } catch (SQLException timedOut) {
        // expected: the pool is exhausted
      }
    }
  }
}
