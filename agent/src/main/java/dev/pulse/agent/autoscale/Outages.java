package dev.pulse.agent.autoscale;

import dev.pulse.agent.hikari.PoolState;
import dev.pulse.agent.jdbc.PoolMetrics;

/** Tells an unreachable database from a busy pool: both make borrowers wait and time out. */
final class Outages {
  private Outages() {
  }

  /**
   * Why the pool's database counts as unreachable now, or null: a recent failed borrow caused by a
   * connection failure (SQLState class 08, or a refused socket), or no connection open at all while
   * threads wait.
   */
  static String unreachableCause(PoolMetrics metrics, PoolState figures, long nowNanos,
      long recentNanos) {
    String cause = metrics.lastConnectionFailure();
    if (cause != null && nowNanos - metrics.lastAcquireFailureNanos() < recentNanos) {
      return cause;
    }
    if (figures.total == 0 && figures.waiting > 0) {
      return "no connection open while " + figures.waiting + " threads wait";
    }
    return null;
  }
}
