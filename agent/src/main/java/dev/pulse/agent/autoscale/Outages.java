package dev.pulse.agent.autoscale;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.jdbc.ConnectionFailures;

/** Tells an unreachable database from a busy pool: both make borrowers wait and time out. */
final class Outages {
  private Outages() {
  }

  /**
   * Why the pool's database counts as unreachable now, or null: a recent failed borrow caused by a
   * connection failure (SQLState class 08, or a refused socket), or no connection open at all while
   * threads wait.
   */
  static String unreachableCause(HikariPoolHandle pool, long nowNanos, long recentNanos) {
    Throwable failure = pool.metrics().lastAcquireFailure();
    if (failure != null && nowNanos - pool.metrics().lastAcquireFailureNanos() < recentNanos) {
      String cause = ConnectionFailures.cause(failure);
      if (cause != null) {
        return cause;
      }
    }
    if (pool.total() == 0 && pool.waiting() > 0) {
      return "no connection open while " + pool.waiting() + " threads wait";
    }
    return null;
  }
}
