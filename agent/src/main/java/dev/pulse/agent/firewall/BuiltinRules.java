package dev.pulse.agent.firewall;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Pulse knows of data-layer failures out of the box: PostgreSQL's SQLStates, the pools'
 * timeouts (HikariCP's, Tomcat JDBC's, Vibur's, DBCP2's, c3p0's, Agroal's), pgvector.
 */
final class BuiltinRules {
  private BuiltinRules() {
  }

  static final List<Rule> RULES = Collections.unmodifiableList(Arrays.asList(
      rule("hikari-timeout", null, null, "Connection is not available, request timed out",
          "java.sql.SQLTransientConnectionException", "pool_exhausted",
          "Every connection stayed busy for the whole connectionTimeout. Look for slow statements or"
              + " connections held across slow work (set leakDetectionThreshold to find them), then"
              + " raise maximumPoolSize only if the database has headroom.", 0.9),
      rule("hikari-timeout-unreachable", null, "08", "Connection is not available, request timed out",
          "java.sql.SQLTransientConnectionException", "database_unreachable",
          "The pool timed out because it cannot open connections: the database is down or"
              + " unreachable (the cause is in the message). Check it runs and the URL, host and"
              + " port; the pool recovers by itself when it is back.", 0.9),
      // the other pools' timeouts (their exhaustion; a database that is down fails with 08 first)
      rule("tomcat-timeout", null, null, "Pool empty\\. Unable to fetch a connection", null,
          "pool_exhausted", poolSolution("maxActive and maxWait", "removeAbandoned"), 0.9),
      rule("vibur-timeout", null, null, "couldn't obtain SQL connection within", null,
          "pool_exhausted", poolSolution("poolMaxSize and connectionTimeoutInMs",
              "poolEnableConnectionTracking"), 0.9),
      rule("dbcp-timeout", null, null, "Timeout waiting for idle object", null, "pool_exhausted",
          poolSolution("maxTotal and maxWait", "removeAbandonedOnBorrow"), 0.9),
      rule("c3p0-timeout", null, null, "checkout a Connection has timed out", null,
          "pool_exhausted", poolSolution("maxPoolSize and checkoutTimeout",
              "unreturnedConnectionTimeout"), 0.9),
      rule("agroal-timeout", null, null, "Acquisition timeout while waiting for new connection",
          null, "pool_exhausted", poolSolution("maxSize and acquisitionTimeout", "leakTimeout"),
          0.9),
      rule("connection-refused", null, "08", null, null, "database_unreachable",
          "The database cannot be reached: check that it runs, the host and port in the JDBC URL,"
              + " and the network between; connections resume when it is back.", 0.85),
      rule("too-many-connections", "53300", null, null, null, "too_many_connections",
          "The server has no connection slot left (max_connections). Lower the pools' sizes or"
              + " their number, or put a pooler such as PgBouncer in front.", 0.95),
      rule("auth-failed", "28P01", null, null, null, "authentication_failed",
          "The password was refused: check the credentials the pool uses and the role in the"
              + " database.", 0.95),
      rule("auth-rejected", "28000", null, null, null, "authentication_failed",
          "The server rejected the login (pg_hba.conf or role settings): check the host, user,"
              + " database and authentication method allowed.", 0.9),
      rule("deadlock", "40P01", null, null, null, "deadlock",
          "Two transactions waited on each other's locks. Retry the transaction, and take locks in"
              + " the same order everywhere (for example sort keys before updating rows).", 0.95),
      rule("serialization", "40001", null, null, null, "serialization_failure",
          "A concurrent transaction conflicted under REPEATABLE READ or SERIALIZABLE: retry the"
              + " whole transaction.", 0.95),
      rule("lock-timeout", "55P03", null, null, null, "lock_timeout",
          "A lock could not be taken within lock_timeout (or NOWAIT): find the blocking session in"
              + " pg_stat_activity / pg_locks and shorten the transactions that hold it.", 0.9),
      rule("statement-timeout", "57014", null, "statement timeout", null, "statement_timeout",
          "The statement ran past statement_timeout: add an index or a tighter filter (EXPLAIN"
              + " ANALYZE it), or raise the timeout for this workload.", 0.95),
      rule("cancelled", "57014", null, null, null, "statement_cancelled",
          "The statement was cancelled (by the application, a query timeout or an operator).",
          0.8),
      rule("terminated", "57P01", null, null, null, "connection_terminated",
          "An administrator or the server ended the session (pg_terminate_backend, a restart): the"
              + " pool replaces the connection; retry the work.", 0.9),
      rule("unique", "23505", null, null, null, "unique_violation",
          "A row with the same key already exists: check for it first, or use INSERT ... ON"
              + " CONFLICT.", 0.95),
      rule("foreign-key", "23503", null, null, null, "foreign_key_violation",
          "The referenced row does not exist (or rows still refer to the one deleted): insert the"
              + " parent first, or delete children first / use ON DELETE.", 0.95),
      rule("not-null", "23502", null, null, null, "not_null_violation",
          "A required column got NULL: set a value or a column default.", 0.95),
      rule("undefined-table", "42P01", null, null, null, "undefined_table",
          "The table does not exist in this database or on the search_path: run the migrations,"
              + " or qualify the name with its schema.", 0.95),
      rule("undefined-column", "42703", null, null, null, "undefined_column",
          "The column does not exist: check its name and the migrations this database has had.",
          0.95),
      rule("syntax", "42601", null, null, null, "syntax_error",
          "The SQL does not parse: check the statement near the position the message gives.",
          0.95),
      rule("vector-dimensions", null, null,
          "(different vector dimensions|expected \\d+ dimensions, not \\d+)", null,
          "dimension_mismatch",
          "The vector's dimension differs from the column's: use the same embedding model (and"
              + " dimensions) for the data and the query, or alter the column.", 0.95),
      rule("vector-missing-type", "42704", null, "type \"vector\" does not exist", null,
          "missing_vector_extension",
          "pgvector is not installed in this database: run CREATE EXTENSION vector (as a role that"
              + " may), after installing the package on the server.", 0.95),
      rule("vector-missing-operator", "42883", null, "operator does not exist: .*(<->|<=>|<#>|<\\+>|<~>|<%>)",
          null, "missing_vector_extension",
          "The distance operator is unknown: pgvector is missing here, or the operand is not a vector"
              + " (cast it with ::vector).", 0.85),
      rule("read-only", "25006", null, null, null, "read_only_transaction",
          "A write ran in a read-only transaction or on a standby: send writes to the primary, or"
              + " drop readOnly from this connection.", 0.95),
      // Families: still a useful answer when no exact rule fits.
      rule("class-23", null, "23", null, null, "integrity_violation",
          "A constraint refused the row: the message names it.", 0.6),
      rule("class-40", null, "40", null, null, "transaction_rollback",
          "The server rolled the transaction back: retry it.", 0.6),
      rule("class-42", null, "42", null, null, "syntax_or_access_error",
          "The statement is invalid or not allowed for this role: the message says which.", 0.6),
      rule("class-53", null, "53", null, null, "insufficient_resources",
          "The server ran short of a resource (memory, disk, connections).", 0.6),
      rule("class-57", null, "57", null, null, "operator_intervention",
          "The server or an operator interrupted the work: retry it.", 0.6)));

  /** A pool other than HikariCP timed out: its own settings named, and the agent's leak finder. */
  private static String poolSolution(String sizeSettings, String leakSetting) {
    return "Every connection stayed busy for the whole wait (the pool's " + sizeSettings + "). Look"
        + " for slow statements or connections held across slow work (Pulse's leak.threshold, or"
        + " the pool's " + leakSetting + ", finds them), then raise the maximum only if the database"
        + " has headroom.";
  }

  private static Rule rule(String id, String sqlState, String sqlStateClass, String message,
      String exception, String type, String solution, double confidence) {
    return new Rule(id, sqlState, sqlStateClass, message == null ? null : Pattern.compile(message),
        exception, type, solution, confidence);
  }
}
