package dev.pulse.agent.vector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sampled search run again on a connection of the agent's own (autocommit off), with settings
 * made with SET LOCAL inside a transaction that is always rolled back, so nothing outlives it.
 * Rows are compared by a digest of their text, so any select list works.
 */
final class ReRun {
  /** Bounds every statement the agent runs for a sample: a slow one must not hold its thread. */
  static final String STATEMENT_TIMEOUT = "5s";
  /** The setting that makes a search exact, as pgvector's README checks recall. */
  static final Map<String, String> EXACT = Map.of("enable_indexscan", "off");

  /** A re-run's rows and the time the search itself took. */
  static final class Result {
    final List<String> rows;
    final long nanos;

    Result(List<String> rows, long nanos) {
      this.rows = rows;
      this.nanos = nanos;
    }

    double millis() {
      return nanos / 1_000_000.0;
    }
  }

  private ReRun() {
  }

  static Result run(Connection connection, String sql, Map<String, String> settings)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    long took;
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "'");
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        statement.execute("SET LOCAL " + setting.getKey() + " = '"
            + setting.getValue().replace("'", "''") + "'");
      }
      long start = System.nanoTime();
      try (ResultSet result = statement.executeQuery("SELECT md5(pulse_row::text) FROM ("
          + sql + ") AS pulse_row")) {
        while (result.next()) {
          rows.add(result.getString(1));
        }
      }
      took = System.nanoTime() - start;
    } finally {
      connection.rollback();
    }
    return new Result(rows, took);
  }

  /** The share of the exact rows the approximate search found (each row counted as often as it occurs). */
  static double recall(List<String> approximate, List<String> exact) {
    if (exact.isEmpty()) {
      return 1;
    }
    Map<String, Integer> remaining = new HashMap<>();
    for (String row : approximate) {
      remaining.merge(row, 1, Integer::sum);
    }
    int found = 0;
    for (String row : exact) {
      Integer left = remaining.get(row);
      if (left != null && left > 0) {
        found++;
        remaining.put(row, left - 1);
      }
    }
    return (double) found / exact.size();
  }
}
