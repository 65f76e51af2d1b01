package dev.pulse.agent.autoscale;

/** One look at a pool, taken by the sizer every interval, or at once when a borrow waited long. */
public final class PoolSample {
  final long atMillis;
  final int maximum;
  /** Connections open (in use and idle). */
  final int total;
  final int active;
  final int waiting;
  /** Threads waiting on average since the previous sample (Little's law: wait time / elapsed). */
  final double meanWaiting;
  /** Statements running on average since the previous sample: at most the connections in use. */
  final double meanRunning;
  /** Mean statement time over the recent window, ms; NaN when no statement ran. */
  final double statementMillis;
  /** Why the database counts as unreachable now, or null. */
  final String unreachable;

  public PoolSample(long atMillis, int maximum, int total, int active, int waiting,
      double meanWaiting, double meanRunning, double statementMillis, String unreachable) {
    this.atMillis = atMillis;
    this.maximum = maximum;
    this.total = total;
    this.active = active;
    this.waiting = waiting;
    this.meanWaiting = meanWaiting;
    this.meanRunning = meanRunning;
    this.statementMillis = statementMillis;
    this.unreachable = unreachable;
  }

  /**
   * Whether borrowers queue: a thread waits now, or they waited a tenth of a thread on average
   * (every borrow waits a few microseconds; those are no queue).
   */
  boolean queued() {
    return waiting > 0 || meanWaiting >= 0.1;
  }

  /** Threads queued for a connection: now, or on average since the previous sample. */
  double queue() {
    return Math.max(waiting, meanWaiting);
  }

  /** Connections in use: now, or on average (statements running) since the previous sample. */
  double inUse() {
    return Math.max(active, meanRunning);
  }

  /** Connections the application wants at once: those it holds and those it waits for. */
  double demand() {
    return inUse() + queue();
  }
}
