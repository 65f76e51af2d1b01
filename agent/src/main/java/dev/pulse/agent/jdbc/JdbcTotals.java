package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.LongAdder;

/**
 * Every application statement since start, pooled or not: the request figures of system_stats.
 * A pooled statement is counted once, in its pool's metrics, and summed from the pools when read;
 * only statements of no known DataSource (DriverManager) are counted here.
 */
public final class JdbcTotals {
  private final PoolRegistry pools;
  private final LongAdder statements = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  public JdbcTotals(PoolRegistry pools) {
    this.pools = pools;
  }

  /** A statement of no known DataSource. */
  void record(int count, long elapsedNanos, boolean failed) {
    if (failed) { // before the count, as PoolMetrics does
      failures.add(count);
    }
    statements.add(count);
    nanos.add(elapsedNanos);
  }

  public long statements() {
    return statements.sum() + pools.statementTotals()[0];
  }

  public long failures() {
    return failures.sum() + pools.statementTotals()[1];
  }

  /** Mean statement time since start, ms; 0 before the first. */
  public double meanMillis() {
    long[] pooled = pools.statementTotals();
    long count = statements.sum() + pooled[0];
    return count == 0 ? 0 : (nanos.sum() + pooled[2]) / 1e6 / count;
  }
}
