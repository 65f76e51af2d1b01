package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.DataSourceKey;
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
      bySource.keySet().removeIf(key -> key.get() == null);
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
    bySource.remove(source);
    latest = others;
  }
}
