package dev.pulse.agent.hikari;

import dev.pulse.agent.jdbc.JdbcTotals;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.system.PoolReading;
import dev.pulse.agent.system.RequestFigures;
import java.util.ArrayList;
import java.util.List;

/** system_stats' request figures from the JDBC totals and the live pools. */
public final class JdbcRequestFigures implements RequestFigures {
  private final JdbcTotals totals;
  private final HikariPools pools;

  public JdbcRequestFigures(JdbcTotals totals, HikariPools pools) {
    this.totals = totals;
    this.pools = pools;
  }

  @Override
  public long totalRequests() {
    return totals.statements();
  }

  @Override
  public long failedRequests() {
    return totals.failures();
  }

  @Override
  public double averageResponseMillis() {
    return totals.meanMillis();
  }

  @Override
  public int activeConnections() {
    int active = 0;
    for (HikariPoolHandle pool : pools.all()) {
      active += pool.state().active;
    }
    return active;
  }

  @Override
  public List<PoolReading> pools() {
    List<PoolReading> readings = new ArrayList<>();
    for (HikariPoolHandle pool : pools.all()) {
      PoolMetrics metrics = pool.metrics();
      PoolState now = pool.state();
      String cause = metrics.lastConnectionFailure();
      readings.add(new PoolReading(pool.name(), now.active, now.maximum, now.waiting,
          now.total, metrics.acquisitions() - metrics.failedAcquisitions(),
          cause == null ? 0 : metrics.lastAcquireFailureNanos(), cause));
    }
    return readings;
  }
}
