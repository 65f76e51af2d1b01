package dev.pulse.agent;

import dev.pulse.agent.export.ExportSource;
import dev.pulse.agent.export.ExportedPool;
import dev.pulse.agent.export.OperationSnapshot;
import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.WaitHistogram;
import dev.pulse.agent.queries.QueryStats;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fleet export reads at each collection, on its own threads: every open HikariCP pool,
 * its state and the agent's counts now, and the query table's statements by operation. The only
 * place the export meets the pools.
 */
final class PoolExportSource implements ExportSource {
  private final HikariPools pools;
  /** Null when the query table is off. */
  private final QueryStats queries;
  private final double[] bounds = new double[WaitHistogram.BUCKETS - 1];

  PoolExportSource(HikariPools pools, QueryStats queries) {
    this.pools = pools;
    this.queries = queries;
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = WaitHistogram.upperBoundSeconds(i);
    }
  }

  @Override
  public List<ExportedPool> pools() {
    List<ExportedPool> exported = new ArrayList<>();
    for (HikariPoolHandle pool : pools.all()) {
      PoolMetrics metrics = pool.metrics();
      try {
        PoolState now = pool.state();
        exported.add(new ExportedPool(pool.name(), now.maximum, now.minimumIdle,
            now.active, now.idle, now.waiting, metrics.totalStatements(),
            metrics.failedStatements(), metrics.statementNanos(), metrics.failedAcquisitions(),
            metrics.waitNanos(), metrics.waitHistogram(), metrics.useNanos(),
            metrics.useHistogram()));
      } catch (RuntimeException closing) {
        // the pool closed while being read: it is gone from the next collection
      }
    }
    return exported;
  }

  @Override
  public double[] waitBucketBounds() {
    return bounds.clone();
  }

  @Override
  public List<OperationSnapshot> operations() {
    if (queries == null) {
      return null;
    }
    List<OperationSnapshot> operations = new ArrayList<>();
    queries.readOperations((pool, system, operation, collection, overflow, errorType, durations,
        durationNanos, rowCounts, rows) -> operations.add(new OperationSnapshot(pool, system,
        operation, collection, overflow, errorType, durations, durationNanos, rowCounts, rows)));
    return operations;
  }

  @Override
  public double[] durationBounds() {
    return QueryStats.durationBounds();
  }

  @Override
  public double[] rowBounds() {
    long[] bounds = QueryStats.rowBounds();
    double[] asDoubles = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      asDoubles[i] = bounds[i];
    }
    return asDoubles;
  }
}
