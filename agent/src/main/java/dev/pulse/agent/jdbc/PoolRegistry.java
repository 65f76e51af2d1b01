package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.DataSourceKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The metrics of each DataSource, keyed by its {@link DataSourceKey} (which holds the DataSource
 * weakly). Bounded: an application that makes DataSources by the thousand shares one "other"
 * entry past the limit; entries of DataSources the application dropped make room first.
 */
public final class PoolRegistry {
  static final int MAX_DATA_SOURCES = 256;

  private final Map<DataSourceKey, PoolMetrics> bySource = new ConcurrentHashMap<>();
  private final PoolMetrics others = new PoolMetrics("other data sources");
  private final Function<Object, String> namer;
  /**
   * The metrics of the latest lookup: most hosts run one pool, so the map is seldom read (it was a
   * lookup per borrow and per statement). A plain field: a stale read only costs a map lookup.
   */
  private PoolMetrics latest = others;
  /** The statements of pools forgotten since start; under the lock. */
  private long retiredStatements;
  private long retiredFailures;
  private long retiredNanos;

  public PoolRegistry(Function<Object, String> namer) {
    this.namer = namer;
  }

  public PoolMetrics metricsFor(DataSourceKey source) {
    PoolMetrics last = latest;
    if (last.source == source) {
      return last;
    }
    PoolMetrics metrics = bySource.get(source);
    if (metrics != null) {
      latest = metrics;
      return metrics;
    }
    if (bySource.size() >= MAX_DATA_SOURCES) {
      forgetCollected();
      if (bySource.size() >= MAX_DATA_SOURCES) {
        return others;
      }
    }
    Object dataSource = source.get();
    if (dataSource == null) {
      return others;
    }
    return bySource.computeIfAbsent(source, k -> new PoolMetrics(namer.apply(dataSource), k));
  }

  /** Forgets a DataSource that was closed. */
  public void remove(DataSourceKey source) {
    synchronized (this) {
      PoolMetrics gone = bySource.remove(source);
      if (gone != null) {
        retire(gone);
      }
    }
    latest = others;
  }

  /** Past the bound (rare): DataSources the application dropped make room. */
  private synchronized void forgetCollected() {
    for (Iterator<Map.Entry<DataSourceKey, PoolMetrics>> each = bySource.entrySet().iterator();
        each.hasNext(); ) {
      Map.Entry<DataSourceKey, PoolMetrics> entry = each.next();
      if (entry.getKey().get() == null) {
        each.remove();
        retire(entry.getValue());
      }
    }
  }

  /** Under the lock: a forgotten pool's statements stay in the totals since start. */
  private void retire(PoolMetrics gone) {
    retiredStatements += gone.totalStatements();
    retiredFailures += gone.failedStatements();
    retiredNanos += gone.statementNanos();
  }

  /**
   * Every pool's statements since start, forgotten pools' included, read on the agent's thread:
   * {statements, failed statements, their nanoseconds}. Summed here rather than counted a second
   * time on the application's thread.
   */
  synchronized long[] statementTotals() {
    long[] totals = {retiredStatements, retiredFailures, retiredNanos};
    List<PoolMetrics> all = new ArrayList<>(bySource.values());
    all.add(others);
    for (PoolMetrics metrics : all) {
      totals[0] += metrics.totalStatements();
      totals[1] += metrics.failedStatements();
      totals[2] += metrics.statementNanos();
    }
    return totals;
  }
}
