package dev.pulse.agent.autoscale;

/**
 * Decides one pool's maximum size from a stream of samples. Pure logic, no I/O, one instance per
 * pool, called from the sizer's thread only.
 *
 * <p>It grows by a step when utilization stays above the high mark or threads keep waiting for
 * several samples, up to the ceiling; it shrinks by a step when utilization stays below the low mark
 * for longer, down to the floor; a cooldown separates resizes (including resizes made by others).
 * It refuses to grow in two cases a utilization-only grower gets wrong (HikariCP issue #320): when
 * the database is unreachable (an outage is not load: waiting threads would only pile more
 * connection attempts on it), and when statement time rose after the previous grow (the database,
 * not the pool, is the bottleneck: more connections make every query slower, as in the gradient
 * and Vegas limiters, which treat rising latency as queueing downstream).
 */
public final class PoolSizer {
  private final SizerLimits limits;
  private int highStreak;
  private int lowStreak;
  private int lastSeenMaximum = -1;
  private long lastResizeMillis = Long.MIN_VALUE / 2;
  /** Statement time in the samples that led to our last grow; NaN when no grow is pending judgement. */
  private double latencyBeforeGrow = Double.NaN;

  public PoolSizer(SizerLimits limits) {
    this.limits = limits;
  }

  public SizeDecision next(PoolSample sample, int floor, int ceiling) {
    int size = sample.maximum;
    if (lastSeenMaximum != -1 && size != lastSeenMaximum) {
      // resized by someone else: start the cooldown and the streaks afresh
      lastResizeMillis = sample.atMillis;
      resetStreaks();
    }
    lastSeenMaximum = size;

    if (sample.unreachable != null) {
      resetStreaks();
      return SizeDecision.hold(size, "database unreachable (" + sample.unreachable
          + "): an outage is not load, not growing");
    }
    int utilization = sample.utilizationPercent();
    boolean busy = utilization >= limits.highPercent || sample.waiting > 0;
    boolean quiet = utilization <= limits.lowPercent && sample.waiting == 0;
    highStreak = busy ? highStreak + 1 : 0;
    lowStreak = quiet ? lowStreak + 1 : 0;
    if (quiet) {
      latencyBeforeGrow = Double.NaN; // the load that prompted the last grow is over
    }
    boolean cooling = sample.atMillis - lastResizeMillis < limits.cooldownMillis;

    if (highStreak >= limits.growAfter) {
      if (size >= ceiling) {
        return SizeDecision.hold(size, "at the ceiling of " + ceiling);
      }
      if (!Double.isNaN(latencyBeforeGrow) && !Double.isNaN(sample.statementMillis)
          && sample.statementMillis > latencyBeforeGrow * limits.latencyFactor) {
        return SizeDecision.hold(size, String.format(java.util.Locale.ROOT,
            "database looks saturated: statement time rose from %.1f ms to %.1f ms after the last"
                + " grow, not growing", latencyBeforeGrow, sample.statementMillis));
      }
      if (cooling) {
        return SizeDecision.hold(size, "cooling down after the last resize");
      }
      int newSize = Math.min(ceiling, size + limits.step(size));
      String why = sample.waiting > 0 && utilization < limits.highPercent
          ? sample.waiting + " threads waiting for a connection for " + highStreak + " samples"
          : "utilization " + utilization + "% > " + limits.highPercent + "% for " + highStreak
              + " samples" + (sample.waiting > 0 ? ", " + sample.waiting + " threads waiting" : "");
      latencyBeforeGrow = sample.statementMillis;
      return resized(newSize, "high load: " + why, sample.atMillis);
    }
    if (lowStreak >= limits.shrinkAfter && size > floor && !cooling) {
      int newSize = Math.max(floor, size - limits.step(size));
      return resized(newSize, "low load: utilization " + utilization + "% < " + limits.lowPercent
          + "% for " + lowStreak + " samples", sample.atMillis);
    }
    return SizeDecision.hold(size, busy ? "busy for " + highStreak + " samples"
        : quiet ? "quiet for " + lowStreak + " samples" : "steady");
  }

  private SizeDecision resized(int newSize, String reason, long atMillis) {
    lastResizeMillis = atMillis;
    lastSeenMaximum = newSize;
    resetStreaks();
    return SizeDecision.resize(newSize, reason);
  }

  private void resetStreaks() {
    highStreak = 0;
    lowStreak = 0;
  }
}
