package dev.pulse.agent.autoscale;

import dev.pulse.agent.jdbc.PoolMetrics;

/**
 * Turns a pool's running totals into means since the previous reading, by Little's law: the time
 * borrowers spent waiting, divided by the time elapsed, is the mean number of threads queued; the
 * same for statement time and statements running. Sizer thread only.
 */
final class DemandMeter {
  /** Shorter spans say little: one slow borrow ending in them would read as a crowd. */
  private static final long MIN_SPAN_NANOS = 100_000_000L;

  private long sinceNanos;
  private long waitNanos;
  private long statementNanos;
  private double meanWaiting;
  private double meanRunning;

  DemandMeter(PoolMetrics metrics, long nowNanos) {
    sinceNanos = nowNanos;
    waitNanos = metrics.waitNanos();
    statementNanos = metrics.statementNanos();
  }

  /** Reads the totals; a reading too soon after the previous one keeps the previous means. */
  void read(PoolMetrics metrics, long nowNanos) {
    long span = nowNanos - sinceNanos;
    if (span < MIN_SPAN_NANOS) {
      return;
    }
    long waited = metrics.waitNanos();
    long ran = metrics.statementNanos();
    meanWaiting = (double) (waited - waitNanos) / span;
    meanRunning = (double) (ran - statementNanos) / span;
    sinceNanos = nowNanos;
    waitNanos = waited;
    statementNanos = ran;
  }

  double meanWaiting() {
    return meanWaiting;
  }

  double meanRunning() {
    return meanRunning;
  }
}
