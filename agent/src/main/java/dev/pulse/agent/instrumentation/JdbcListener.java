package dev.pulse.agent.instrumentation;

/**
 * A feature that consumes what the JDBC advice sees. Called on the application's thread: an
 * implementation does a constant, small amount of work (or hands the rest to the agent's
 * threads), keeps none of the application's objects, and may throw (the hooks swallow it).
 */
public interface JdbcListener {
  /** A DataSource's first getConnection returned (or threw). */
  default void dataSourceSeen(DataSourceKey source, Object dataSource) {
  }

  /** The innermost getConnection of a call returned or threw, after {@code waitNanos}. */
  default void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
  }

  /**
   * The innermost getConnection of a call handed {@code connection} to the application at
   * {@code borrowedNanos} (the end of its wait). {@code physical} is what it unwraps to: a pool's
   * proxy is new at each borrow, the pooled connection inside it is not (and its identity hash is
   * taken already, a fresh object's costs a call into the JVM); a connection that wraps nothing is
   * its own. Only a listener that overrides this is called: a borrow costs the others nothing.
   */
  default void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
  }

  /**
   * The application closed a connection (for a pool's proxy: gave it back); {@code physical} as
   * at the borrow.
   */
  default void connectionClosed(Object connection, Object physical) {
  }

  default void statementExecuted(StatementEvent event) {
  }

  /** A transaction ended on this connection (commit or rollback). */
  default void transactionEnded(Object connection) {
  }
}
