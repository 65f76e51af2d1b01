package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.CallContext;
import java.sql.Statement;

/**
 * Turns what the JDBC advice sees into counts, on the application's thread: a statement is charged
 * to the pool its connection was borrowed from on this thread (found in the thread's own slots, no
 * shared lookup), and to the totals in every case.
 */
public final class JdbcRecorder {
  private final PoolRegistry pools;
  private final JdbcTotals totals;

  public JdbcRecorder(PoolRegistry pools, JdbcTotals totals) {
    this.pools = pools;
    this.totals = totals;
  }

  /** Returns the pool's metrics so pool-specific listeners can act on the same lookup. */
  public PoolMetrics connectionAcquired(CallContext context, Object dataSource, Object connection,
      long waitNanos, Throwable failure) {
    PoolMetrics metrics = cachedMetrics(context, dataSource);
    metrics.recordAcquire(System.nanoTime(), waitNanos, failure);
    if (connection != null) {
      context.borrowed(connection, metrics);
    }
    return metrics;
  }

  /** Returns the metrics of the pool the statement's connection came from, or null. */
  public PoolMetrics statementExecuted(CallContext context, Object statement, long elapsedNanos,
      Throwable failure) {
    boolean failed = failure != null;
    totals.record(elapsedNanos, failed);
    Object pool = context.poolOf(connectionOf(statement));
    if (pool instanceof PoolMetrics) {
      ((PoolMetrics) pool).recordStatement(System.nanoTime(), elapsedNanos, failed);
      return (PoolMetrics) pool;
    }
    return null;
  }

  /** The metrics of this DataSource, through the thread's one-entry cache. */
  public PoolMetrics metricsFor(CallContext context, Object dataSource) {
    return cachedMetrics(context, dataSource);
  }

  private PoolMetrics cachedMetrics(CallContext context, Object dataSource) {
    if (context.lastDataSource == dataSource && context.lastPool instanceof PoolMetrics) {
      return (PoolMetrics) context.lastPool;
    }
    PoolMetrics metrics = pools.metricsFor(dataSource);
    context.lastDataSource = dataSource;
    context.lastPool = metrics;
    return metrics;
  }

  private static Object connectionOf(Object statement) {
    try {
      return statement instanceof Statement ? ((Statement) statement).getConnection() : null;
    } catch (Exception e) {
      return null; // a closed statement: counted in the totals only
    }
  }
}
