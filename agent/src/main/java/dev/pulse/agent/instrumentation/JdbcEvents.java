package dev.pulse.agent.instrumentation;

/**
 * What the advice reports, implemented by the agent. Arguments are typed Object: the advice runs
 * inside host classes and must not link against the host's HikariCP or driver through us.
 * Implementations must be fast on the statement path and must not throw.
 */
public interface JdbcEvents {
  /** Before getConnection: null to proceed, or the Throwable to fail with at once. */
  Object acquireGate(CallContext context, Object dataSource);

  /** The outermost getConnection on a thread returned or threw. */
  void connectionAcquired(CallContext context, Object dataSource, Object connection,
      long waitNanos, Throwable failure);

  /**
   * The outermost statement execution on a thread returned or threw; sql is null when unknown,
   * result is the ResultSet of executeQuery and null otherwise.
   */
  void statementExecuted(CallContext context, Object statement, String sql, Object result,
      long elapsedNanos, Throwable failure);

  /** A transaction ended on this connection (commit or rollback): SET LOCAL values lapse. */
  void transactionEnded(Object connection);

  /** A HikariCP pool finished starting, or its housekeeper ran: new pools are registered. */
  void hikariPoolSeen(Object pool, Object config);

  /** A HikariConfig (or HikariDataSource) had its maximum pool size changed. */
  void maximumPoolSizeChanged(Object config, int oldSize, int newSize);
}
