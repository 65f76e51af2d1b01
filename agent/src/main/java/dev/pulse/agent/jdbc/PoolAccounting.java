package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.StatementEvent;

/**
 * Counts borrows and statements per DataSource, and every statement in the totals, on the
 * application's thread: a few atomic adds, no lock, no allocation.
 */
public final class PoolAccounting implements JdbcListener {
  private final PoolRegistry pools;
  private final JdbcTotals totals;

  public PoolAccounting(PoolRegistry pools, JdbcTotals totals) {
    this.pools = pools;
    this.totals = totals;
  }

  @Override
  public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    pools.metricsFor(source).recordAcquire(endNanos, waitNanos, failure);
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    boolean failed = event.failure() != null;
    totals.record(event.count(), event.elapsedNanos(), failed);
    if (event.source() != null) {
      pools.metricsFor(event.source())
          .recordStatements(event.endNanos(), event.count(), event.elapsedNanos(), failed);
    }
  }
}
