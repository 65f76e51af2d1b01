package dev.pulse.agent.jdbc;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The metrics of each DataSource, keyed by identity (a DataSource's equals is not to be trusted).
 * The application's threads hit a per-thread cache first; this map is the slow path. Bounded: an
 * application that makes DataSources by the thousand shares one "other" entry past the limit.
 */
public final class PoolRegistry {
  static final int MAX_DATA_SOURCES = 256;

  private final Map<IdentityKey, PoolMetrics> byDataSource = new ConcurrentHashMap<>();
  private final PoolMetrics others = new PoolMetrics("other data sources");
  private final Function<Object, String> namer;

  public PoolRegistry(Function<Object, String> namer) {
    this.namer = namer;
  }

  public PoolMetrics metricsFor(Object dataSource) {
    IdentityKey key = new IdentityKey(dataSource);
    PoolMetrics metrics = byDataSource.get(key);
    if (metrics != null) {
      return metrics;
    }
    if (byDataSource.size() >= MAX_DATA_SOURCES) {
      return others;
    }
    return byDataSource.computeIfAbsent(key, k -> new PoolMetrics(namer.apply(dataSource)));
  }

  /** Forgets a DataSource that was closed. */
  public void remove(Object dataSource) {
    byDataSource.remove(new IdentityKey(dataSource));
  }

  /** The metrics of this DataSource if any of its connections was ever borrowed, else null. */
  public PoolMetrics existing(Object dataSource) {
    return byDataSource.get(new IdentityKey(dataSource));
  }

  public Collection<PoolMetrics> all() {
    return byDataSource.values();
  }

  /** Identity equality for objects whose own equals may be anything. */
  public static final class IdentityKey {
    private final Object target;

    public IdentityKey(Object target) {
      this.target = target;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof IdentityKey && ((IdentityKey) other).target == target;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(target);
    }
  }
}
