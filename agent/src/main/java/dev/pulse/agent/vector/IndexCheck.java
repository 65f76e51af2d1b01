package dev.pulse.agent.vector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What serves a search, asked of the server on a connection of the agent's own: the plan of the
 * search as the application ran it (EXPLAIN, never ANALYZE: nothing is executed), the table's
 * vector indexes and vector columns, and its size from pg_class.reltuples (a bounded count when
 * the table was never analyzed). Everything inside a transaction that is rolled back.
 */
final class IndexCheck {
  private static final Pattern INDEX_NAME = Pattern.compile("\"Index Name\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern NODE_TYPE = Pattern.compile("\"Node Type\":\\s*\"([^\"]*)\"");

  /** The answer for one search. */
  static final class Finding {
    /** hnsw or ivfflat when such an index served the search in the plan, else null. */
    final String servedBy;
    final String indexName;
    /** The table's rows (estimate), or the bounded count (at most the threshold + 1). */
    final long rows;
    /** The vector column searched and its type (vector, halfvec, sparsevec, bit), or null. */
    final String column;
    final String columnType;
    /** The plan's node types, outermost first, e.g. "Limit > Sort > Seq Scan". */
    final String plan;

    Finding(String servedBy, String indexName, long rows, String column, String columnType,
        String plan) {
      this.servedBy = servedBy;
      this.indexName = indexName;
      this.rows = rows;
      this.column = column;
      this.columnType = columnType;
      this.plan = plan;
    }
  }

  private IndexCheck() {
  }

  /** Null when the table is not found (a view, another schema than the connection's path). */
  static Finding inspect(Connection connection, String table, String sql,
      Map<String, String> settings, long rowsThreshold) throws SQLException {
    try {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL statement_timeout = '" + ReRun.STATEMENT_TIMEOUT + "'");
      }
      Long oid = null;
      long rows = -1;
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT c.oid, c.reltuples::bigint FROM pg_class c WHERE c.oid = to_regclass(quote_ident(?))")) {
        statement.setString(1, table);
        try (ResultSet result = statement.executeQuery()) {
          if (result.next()) {
            oid = result.getLong(1);
            rows = result.getLong(2);
          }
        }
      }
      if (oid == null) {
        return null;
      }
      if (rows < 0) { // never analyzed: count, but never further than the threshold matters
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT count(*) FROM (SELECT 1 FROM "
                + quoted(table) + " LIMIT " + (rowsThreshold + 1) + ") AS pulse_rows")) {
          result.next();
          rows = result.getLong(1);
        }
      }
      Map<String, String> vectorIndexes = new HashMap<>();
      try (PreparedStatement statement = connection.prepareStatement("SELECT ic.relname, am.amname"
          + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid = ? AND am.amname IN ('hnsw', 'ivfflat')")) {
        statement.setLong(1, oid);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            vectorIndexes.put(result.getString(1), result.getString(2));
          }
        }
      }
      Map<String, String> columns = new LinkedHashMap<>();
      try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname, t.typname"
          + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ?"
          + " AND a.attnum > 0 AND NOT a.attisdropped"
          + " AND t.typname IN ('vector', 'halfvec', 'sparsevec', 'bit') ORDER BY a.attnum")) {
        statement.setLong(1, oid);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            columns.put(result.getString(1), result.getString(2));
          }
        }
      }
      String plan = explain(connection, sql, settings);
      String servedBy = null;
      String indexName = null;
      Matcher names = INDEX_NAME.matcher(plan);
      while (names.find() && servedBy == null) {
        servedBy = vectorIndexes.get(names.group(1));
        indexName = servedBy == null ? null : names.group(1);
      }
      String column = searchedColumn(columns, sql);
      return new Finding(servedBy, indexName, rows, column, column == null ? null : columns.get(column),
          nodes(plan));
    } finally {
      connection.rollback();
    }
  }

  private static String explain(Connection connection, String sql, Map<String, String> settings)
      throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement statement = connection.createStatement()) {
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        statement.execute("SET LOCAL " + setting.getKey() + " = '"
            + setting.getValue().replace("'", "''") + "'");
      }
      try (ResultSet result = statement.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
        while (result.next()) {
          plan.append(result.getString(1));
        }
      }
    }
    return plan.toString();
  }

  /** The vector column the SQL names (the first that appears in it), else the table's first one. */
  static String searchedColumn(Map<String, String> columns, String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    for (String column : columns.keySet()) {
      if (Pattern.compile("\\b" + Pattern.quote(column.toLowerCase(Locale.ROOT)) + "\\b")
          .matcher(lower).find()) {
        return column;
      }
    }
    return columns.isEmpty() ? null : columns.keySet().iterator().next();
  }

  static String nodes(String plan) {
    StringBuilder nodes = new StringBuilder();
    Matcher matcher = NODE_TYPE.matcher(plan);
    while (matcher.find()) {
      nodes.append(nodes.length() == 0 ? "" : " > ").append(matcher.group(1));
    }
    return nodes.toString();
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
