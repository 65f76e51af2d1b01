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
 * An application that fails, for real, on command; it catches and counts its own exceptions and
 * prints "failures N" after each command. Knows nothing of the agent.
 *
 * <pre>
 * unique N      N inserts of a key that exists, each with another literal in the same shape
 * syntax        one statement that does not parse
 * dimension     a vector search with a vector of the wrong dimension
 * exhaust       holds both connections of the pool, then asks for a third (times out)
 * storm N       N statements on a table that does not exist
 * fk, notnull, column, readonly, timeout, lock, deadlock, serialization, terminate, auth,
 * noextension   one real failure of each kind
 * secrets       failures whose driver messages carry {@link #SECRET}, as a literal or a bound value
 * quit
 * </pre>
 */
public final class FailureHost {
  /** A value the application sends; the tests check it never leaves the process via the agent. */
  public static final String SECRET = "s3cr3t-Zq9";
  private static String jdbcUrl;

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
        statement.execute("DROP TABLE IF EXISTS pulse_it_children");
        statement.execute("DROP TABLE IF EXISTS pulse_it_failures");
        statement.execute("CREATE TABLE pulse_it_failures (id int PRIMARY KEY, note text, embedding vector(3))");
        statement.execute("INSERT INTO pulse_it_failures VALUES (1, 'first', '[1,2,3]')");
        statement.execute("CREATE TABLE pulse_it_children (id int PRIMARY KEY,"
            + " parent int NOT NULL REFERENCES pulse_it_failures (id))");
        statement.execute("DROP TABLE IF EXISTS pulse_it_accounts");
        statement.execute("CREATE TABLE pulse_it_accounts (id int PRIMARY KEY, balance int)");
        statement.execute("INSERT INTO pulse_it_accounts VALUES (1, 100), (2, 100)");
      }
      jdbcUrl = args[0];
      System.out.println("host ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        if (words[0].equals("quit")) {
          return;
        }
        if (words[0].equals("secrets")) {
          System.out.println("failures " + secrets(dataSource));
          continue;
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

  /** Each statement fails with the secret in the server's message or detail. */
  private static int secrets(HikariDataSource dataSource) throws SQLException {
    String[] literal = {
        "INSERT INTO pulse_it_secrets VALUES ('" + SECRET + "-check', -1, 'n')",
        "INSERT INTO pulse_it_secrets VALUES ('" + SECRET + "-null', 1, NULL)",
        "SELECT '" + SECRET + "'::date",
        "SELECT '" + SECRET + "'::json",
        "SELECT '" + SECRET + "'::vector",
        "SELECT '" + SECRET + "'::pulse_it_mood",
        "SELECT '" + SECRET + "' '" + SECRET + "'",
        "SELECT 99999999999" + SECRET.length() + "::int",
    };
    String[] bound = {
        "INSERT INTO pulse_it_secrets VALUES (?, 1, 'n')",
        "SELECT CAST(? AS int)",
        "SELECT CAST(? AS uuid)",
    };
    int failures = 0;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS pulse_it_secrets");
      statement.execute("DROP TYPE IF EXISTS pulse_it_mood");
      statement.execute("CREATE TYPE pulse_it_mood AS ENUM ('calm')");
      statement.execute("CREATE TABLE pulse_it_secrets (email text PRIMARY KEY,"
          + " age int CHECK (age > 0), note text NOT NULL)");
      statement.execute("INSERT INTO pulse_it_secrets VALUES ('" + SECRET + "', 1, 'n')");
      for (String sql : literal) {
        try {
          statement.execute(sql);
        } catch (SQLException e) {
          failures++;
        }
      }
      for (String sql : bound) {
        try (PreparedStatement prepared = connection.prepareStatement(sql)) {
          prepared.setString(1, SECRET);
          prepared.execute();
        } catch (SQLException e) {
          failures++;
        }
      }
    }
    return failures;
  }

  /** Two transactions that collide: a deadlock, a serialization failure, or a lock timeout. */
  private static void twoTransactions(HikariDataSource dataSource, String kind) throws SQLException {
    try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      try (Statement a = first.createStatement(); Statement b = second.createStatement()) {
        if (kind.equals("serialization")) {
          a.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          b.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          a.executeQuery("SELECT balance FROM pulse_it_accounts WHERE id = 1").close();
          b.executeQuery("SELECT balance FROM pulse_it_accounts WHERE id = 1").close();
          a.execute("UPDATE pulse_it_accounts SET balance = balance - 1 WHERE id = 1");
          first.commit();
          b.execute("UPDATE pulse_it_accounts SET balance = balance - 1 WHERE id = 1");
        } else if (kind.equals("lock")) {
          a.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 1");
          b.execute("SET lock_timeout = 100");
          b.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 1");
        } else {
          a.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 1");
          b.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 2");
          Thread other = new Thread(() -> {
            try (Statement late = first.createStatement()) {
              late.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 2");
            } catch (SQLException e) {
              // one of the two is chosen as the deadlock victim
            }
          });
          other.start();
          try {
            Thread.sleep(200);
            b.execute("UPDATE pulse_it_accounts SET balance = balance + 1 WHERE id = 1");
          } finally {
            try {
              other.join();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      } finally {
        first.rollback();
        second.rollback();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    if (command.equals("deadlock") || command.equals("serialization") || command.equals("lock")) {
      twoTransactions(dataSource, command);
      return;
    }
    if (command.equals("auth")) {
      org.postgresql.ds.PGSimpleDataSource wrong = new org.postgresql.ds.PGSimpleDataSource();
      wrong.setURL(jdbcUrl.replaceAll("password=[^&]*", "password=wrong-password"));
      try (Connection ignored = wrong.getConnection()) {
        return;
      }
    }
    if (command.equals("noextension")) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet exists = statement.executeQuery(
              "SELECT 1 FROM pg_database WHERE datname = 'pulse_it_novector'")) {
        if (!exists.next()) {
          statement.execute("CREATE DATABASE pulse_it_novector");
        }
      }
      org.postgresql.ds.PGSimpleDataSource plain = new org.postgresql.ds.PGSimpleDataSource();
      plain.setURL(jdbcUrl.replaceFirst("/[^/?]+\\?", "/pulse_it_novector?"));
      try (Connection connection = plain.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT '[1,2,3]'::vector");
      }
      return;
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      switch (command) {
        case "fk":
          statement.execute("INSERT INTO pulse_it_children VALUES (" + (100 + i) + ", 999)");
          break;
        case "notnull":
          statement.execute("INSERT INTO pulse_it_children (id) VALUES (" + (200 + i) + ")");
          break;
        case "column":
          statement.execute("SELECT nmae FROM pulse_it_failures");
          break;
        case "readonly":
          connection.setAutoCommit(false);
          try {
            statement.execute("SET TRANSACTION READ ONLY");
            statement.execute("UPDATE pulse_it_failures SET note = 'x'");
          } finally {
            connection.rollback();
            connection.setAutoCommit(true);
          }
          break;
        case "timeout":
          statement.execute("SET statement_timeout = 50");
          try {
            statement.execute("SELECT pg_sleep(1)");
          } finally {
            statement.execute("RESET statement_timeout");
          }
          break;
        case "terminate":
          try (Connection killer = dataSource.getConnection();
              Statement kill = killer.createStatement();
              ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            kill.execute("SELECT pg_terminate_backend(" + pid.getInt(1) + ")");
          }
          statement.execute("SELECT 1");
          break;

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
