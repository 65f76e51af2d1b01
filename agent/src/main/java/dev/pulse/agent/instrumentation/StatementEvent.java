package dev.pulse.agent.instrumentation;

import java.util.List;

/**
 * One execution of a statement, as listeners see it. Valid only during the listener call: it is
 * reused for the thread's next execution, and cleared after the call so the agent holds nothing
 * of the application's.
 */
public final class StatementEvent {
  Object statement;
  String sql;
  List<String> batchTexts;
  int count;
  DataSourceKey source;
  Object resultSet;
  long elapsedNanos;
  long endNanos;
  Throwable failure;

  /** The application's statement object (its pool's proxy, where it has one); null for a COPY. */
  public Object statement() {
    return statement;
  }

  /** The SQL executed: given to execute(sql) or prepare; null when neither was seen. */
  public String sql() {
    return sql;
  }

  /** The texts of a plain Statement's batch (executeBatch after addBatch(sql)), else null. */
  public List<String> batchTexts() {
    return batchTexts;
  }

  /** Statements this execution ran: 1, or the size of the batch. */
  public int count() {
    return count;
  }

  /** The DataSource the statement's connection was borrowed from, or null. */
  public DataSourceKey source() {
    return source;
  }

  /** The ResultSet of executeQuery, else null. */
  public Object resultSet() {
    return resultSet;
  }

  public long elapsedNanos() {
    return elapsedNanos;
  }

  /** System.nanoTime() when the execution returned. */
  public long endNanos() {
    return endNanos;
  }

  /** What the execution threw, or null. */
  public Throwable failure() {
    return failure;
  }

  void clear() {
    statement = null;
    sql = null;
    batchTexts = null;
    source = null;
    resultSet = null;
    failure = null;
  }
}
