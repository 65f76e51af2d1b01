package dev.pulse.agent.autoscale;

/** One look at a pool, taken by the sizer every interval. */
public final class PoolSample {
  final long atMillis;
  final int maximum;
  final int active;
  final int waiting;
  /** Mean statement time over the recent window, ms; NaN when no statement ran. */
  final double statementMillis;
  /** Why the database counts as unreachable now, or null. */
  final String unreachable;

  public PoolSample(long atMillis, int maximum, int active, int waiting, double statementMillis,
      String unreachable) {
    this.atMillis = atMillis;
    this.maximum = maximum;
    this.active = active;
    this.waiting = waiting;
    this.statementMillis = statementMillis;
    this.unreachable = unreachable;
  }

  int utilizationPercent() {
    return maximum == 0 ? 0 : (int) Math.round(100.0 * active / maximum);
  }
}
