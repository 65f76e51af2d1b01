package dev.pulse.agent.hikari;

import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.RollingWindow;
import dev.pulse.agent.jdbc.WaitHistogram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one pool as the contract names them, read now: the body of pool_stats, and of
 * pool_resized after its old_size, new_size and reason. Agent threads only.
 */
public final class PoolFigures {
  private final int windowSeconds;

  public PoolFigures(int windowSeconds) {
    this.windowSeconds = windowSeconds;
  }

  /** {@code figures}: the pool's state this event is built from. */
  public Map<String, Object> read(HikariPoolHandle pool, PoolState figures, long[] waitsBefore,
      long[] waitsNow) {
    long now = System.nanoTime();
    PoolMetrics metrics = pool.metrics();
    RollingWindow.Snapshot statements = metrics.statements(now, windowSeconds);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("pool_name", pool.name());
    data.put("pool_size", figures.total);
    data.put("active_connections", figures.active);
    data.put("idle_connections", figures.idle);
    data.put("overflow_connections", Math.max(0, figures.total - pool.configuredSize()));
    data.put("threads_awaiting", figures.waiting);
    data.put("utilization", round(figures.utilization(), 1));
    data.put("qps", round(statements.perSecond(), 2));
    data.put("avg_query_time", round(statements.meanMillis(), 3));
    data.put("max_wait_time", round(metrics.maxWaitMillis(now, windowSeconds), 3));
    data.put("total_queries", metrics.totalStatements());
    data.put("failed_queries", metrics.failedStatements());
    data.put("failed_acquisitions", metrics.failedAcquisitions());
    data.put("maximum_pool_size", figures.maximum);
    data.put("minimum_idle", figures.minimumIdle);
    data.put("configured_size", pool.configuredSize());
    data.put("window_seconds", windowSeconds);
    data.put("wait_p50", round(WaitHistogram.quantileMillis(waitsBefore, waitsNow, 0.50), 3));
    data.put("wait_p99", round(WaitHistogram.quantileMillis(waitsBefore, waitsNow, 0.99), 3));
    return data;
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
