package dev.pulse.agent.hosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application that fails, for real, on command; it catches and counts its own exceptions and
 * prints "failures N" after each command. Knows nothing of the agent.
 *
 * <pre>
 * unique N      N inserts of a key that exists, each with another literal in the same shape
 * syntax        one statement that does not parse
 * dimension     a vector search with a vector of the wrong dimension
 * exhaust       holds both connections of the pool, then asks for a third (times out)
 * storm N       N statements on a table that does not exist
 * quit
 * </pre>
 */
public final class FailureHost {
  private FailureHost() {
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setPoolName("failing-pool");
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(500);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        statement.execute("DROP TABLE IF EXISTS pulse_it_failures");
        statement.execute("CREATE TABLE pulse_it_failures (id int PRIMARY KEY, note text, embedding vector(3))");
        statement.execute("INSERT INTO pulse_it_failures VALUES (1, 'first', '[1,2,3]')");
      }
      System.out.println("host ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        if (words[0].equals("quit")) {
          return;
        }
        int failures = 0;
        int times = words.length > 1 ? Integer.parseInt(words[1]) : 1;
        for (int i = 0; i < times; i++) {
          try {
            run(dataSource, words[0], i);
          } catch (SQLException e) {
            failures++;
          }
        }
        System.out.println("failures " + failures);
      }
    }
  }

  private static void run(HikariDataSource dataSource, String command, int i) throws SQLException {
    if (command.equals("exhaust")) {
      try (Connection first = dataSource.getConnection();
          Connection second = dataSource.getConnection();
          Connection third = dataSource.getConnection()) {
        throw new IllegalStateException("a third connection from a pool of two");
      }
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      switch (command) {
        case "unique":
          statement.execute("INSERT INTO pulse_it_failures (id, note) VALUES (1, 'note number " + i + "')");
          break;
        case "syntax":
          statement.execute("SELEC 1");
          break;
        case "dimension":
          try (PreparedStatement search = connection.prepareStatement(
              "SELECT id FROM pulse_it_failures ORDER BY embedding <-> ?::vector LIMIT 3")) {
            search.setString(1, "[1,2]");
            search.executeQuery().close();
          }
          break;
        case "storm":
          statement.executeQuery("SELECT * FROM pulse_no_such_table WHERE id = " + i).close();
          break;
        default:
          throw new IllegalArgumentException("unknown command " + command);
      }
    }
  }
}
