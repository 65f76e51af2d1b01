package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.StatementEvent;

/**
 * Counts borrows and statements per DataSource, and every statement in the totals, and times how
 * long each borrowed connection is held, on the application's thread: a few atomic adds and
 * thread-local writes, no lock, no allocation.
 */
public final class PoolAccounting implements JdbcListener {
  private final PoolRegistry pools;
  private final JdbcTotals totals;
  private final ThreadLocal<HeldConnections> held = ThreadLocal.withInitial(HeldConnections::new);

  public PoolAccounting(PoolRegistry pools, JdbcTotals totals) {
    this.pools = pools;
    this.totals = totals;
  }

  @Override
  public void connectionAcquired(DataSourceKey source, long waitNanos, long endNanos,
      Throwable failure) {
    pools.metricsFor(source).recordAcquire(endNanos, waitNanos, failure);
  }

  /**
   * Known by the pooled connection's identity, not the proxy's: the proxy is new at each borrow,
   * and a fresh object's first identity hash is a call into the JVM.
   */
  @Override
  public void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
    held.get().borrowed(System.identityHashCode(physical), borrowedNanos,
        pools.metricsFor(source));
  }

  @Override
  public void connectionClosed(Object connection, Object physical) {
    held.get().closed(System.identityHashCode(physical));
  }

  @Override
  public void statementExecuted(StatementEvent event) {
    boolean failed = event.failure() != null;
    if (event.source() != null) { // once: the totals sum the pools
      pools.metricsFor(event.source())
          .recordStatements(event.endNanos(), event.count(), event.elapsedNanos(), failed);
    } else {
      totals.record(event.count(), event.elapsedNanos(), failed);
    }
  }
}
