package dev.pulse.agent.autoscale;

import dev.pulse.agent.hikari.HikariPoolHandle;
import java.net.ConnectException;
import java.sql.SQLException;

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
      String cause = connectionFailure(failure);
      if (cause != null) {
        return cause;
      }
    }
    if (pool.total() == 0 && pool.waiting() > 0) {
      return "no connection open while " + pool.waiting() + " threads wait";
    }
    return null;
  }

  static String connectionFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && state.startsWith("08")) {
          return "SQLState " + state;
        }
        SQLException next = ((SQLException) t).getNextException();
        if (next != null && next != t && next.getSQLState() != null && next.getSQLState().startsWith("08")) {
          return "SQLState " + next.getSQLState();
        }
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    return null;
  }
}
