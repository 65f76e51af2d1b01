package dev.pulse.agent.autoscale;

import java.util.Locale;

/**
 * Decides one pool's maximum size from a stream of samples. Pure logic, no I/O, one instance per
 * pool, called from the sizer's thread only.
 *
 * <p>The law follows demand: the connections the application holds plus the threads queued for
 * one (both now and, by Little's law, on average since the previous sample). Demand above
 * {@code high} % of the maximum grows the pool in one move to where demand fills it to that mark
 * (a queue of 15 on a full pool of 5 is a demand of 20: the pool goes to 25, not to 6), so a
 * step in load is met within a sample. Demand under {@code low} % for {@code shrinkAfter} samples
 * in a row shrinks it, by half the surplus each sample while the quiet lasts: quick up, slow down,
 * as a burst that ends may come back and a connection given back costs a new one later.
 *
 * <p>It refuses to grow when growing cannot help: the database is unreachable (an outage is not
 * load: waiting threads would only pile more connection attempts on it), the pool has not opened
 * the connections it already may and opened none since the last grow (HikariCP cannot; while it
 * does open them, only the queue now counts, the past second's waits being the smaller pool's), or
 * statement time rose after the previous grow (the database, not the pool, is the bottleneck: more
 * connections make every query slower, HikariCP issue #320; as in the gradient and Vegas limiters,
 * which read rising latency as queueing downstream). A cooldown separates resizes, including
 * others', except a grow that follows our own grow: a queue that outgrew the last grow (the first
 * slow borrow of a step sees few of the threads coming) is no flapping, and HikariCP's adder would
 * otherwise idle at the smaller maximum while threads wait.
 */
public final class PoolSizer {
  private final SizerLimits limits;
  private int busyStreak;
  private int quietStreak;
  private int lastSeenMaximum = -1;
  private long lastResizeMillis = Long.MIN_VALUE / 2;
  /** Whether the last resize was a grow of ours (not a shrink, not someone else's). */
  private boolean lastResizeGrew;
  private long firstSampleMillis = Long.MIN_VALUE;
  /** Statement time in the sample that led to our last grow; NaN when no grow awaits judgement. */
  private double latencyBeforeGrow = Double.NaN;
  /** Connections open when we last grew the pool: more open since then is progress. */
  private int totalAtLastGrow = Integer.MAX_VALUE;

  public PoolSizer(SizerLimits limits) {
    this.limits = limits;
  }

  public SizeDecision next(PoolSample sample, int floor, int ceiling) {
    int size = sample.maximum;
    if (lastSeenMaximum != -1 && size != lastSeenMaximum) {
      // resized by someone else: start the cooldown and the streaks afresh
      lastResizeMillis = sample.atMillis;
      lastResizeGrew = false;
      resetStreaks();
    }
    lastSeenMaximum = size;

    if (firstSampleMillis == Long.MIN_VALUE) {
      firstSampleMillis = sample.atMillis;
    }
    if (sample.atMillis - firstSampleMillis < limits.warmupMillis) {
      // a pool's first seconds are its start: connections still being opened, first borrows
      return SizeDecision.hold(size, "warming up: first sampled "
          + (sample.atMillis - firstSampleMillis) + " ms ago");
    }
    if (sample.unreachable != null) {
      resetStreaks();
      return SizeDecision.hold(size, "database unreachable (" + sample.unreachable
          + "): an outage is not load, not growing");
    }
    double demand = sample.demand();
    boolean busy = limits.above(demand, size);
    boolean quiet = !sample.queued() && limits.under(demand, size);
    busyStreak = busy ? busyStreak + 1 : 0;
    quietStreak = quiet ? quietStreak + 1 : 0;
    if (quiet) {
      latencyBeforeGrow = Double.NaN; // the load that prompted the last grow is over
    }
    boolean cooling = sample.atMillis - lastResizeMillis < limits.cooldownMillis;

    if (busy && busyStreak >= limits.growAfter) {
      return grow(sample, size, floor, ceiling, cooling);
    }
    if (quiet && quietStreak >= limits.shrinkAfter && size > floor && !cooling) {
      int target = Math.max(floor, limits.sizeFor(demand)); // under size: demand is under low %
      int newSize = size - Math.max(1, (size - target + 1) / 2);
      int quietFor = quietStreak;
      SizeDecision decision = resized(newSize, false, "low load: " + demand(sample) + " under "
          + limits.lowPercent + "% of " + size + " for " + quietFor + " samples, half the surplus"
          + " given back", sample.atMillis);
      quietStreak = quietFor; // the quiet goes on: the next sample may shrink again
      return decision;
    }
    return SizeDecision.hold(size, busy ? "busy for " + busyStreak + " samples, " + demand(sample)
        : quiet ? "quiet for " + quietStreak + " samples" : "steady, " + demand(sample));
  }

  private SizeDecision grow(PoolSample sample, int size, int floor, int ceiling, boolean cooling) {
    if (size >= ceiling) {
      return SizeDecision.hold(size, "at the ceiling of " + ceiling + ", " + demand(sample));
    }
    double wanted = sample.demand();
    String why = demand(sample);
    if (sample.total < size && sample.queued()) {
      // Still opening what it may: waits of the past second belong to the smaller pool, so only
      // the queue now counts, and only while connections do open (a pool that cannot open any
      // is not helped by a higher maximum; HikariCP opens them one at a time either way).
      wanted = sample.active + sample.waiting;
      if (sample.total <= totalAtLastGrow || !limits.above(wanted, size)) {
        return SizeDecision.hold(size, "opening connections: " + sample.total + " of " + size
            + " open while threads wait, not growing");
      }
      why = String.format(Locale.ROOT, "demand now %.1f (%d in use, %d waiting, %d of %d open)",
          wanted, sample.active, sample.waiting, sample.total, size);
    }
    if (!Double.isNaN(latencyBeforeGrow) && !Double.isNaN(sample.statementMillis)
        && sample.statementMillis > latencyBeforeGrow * limits.latencyFactor) {
      return SizeDecision.hold(size, String.format(Locale.ROOT,
          "database looks saturated: statement time rose from %.1f ms to %.1f ms after the last"
              + " grow, not growing", latencyBeforeGrow, sample.statementMillis));
    }
    if (cooling && !lastResizeGrew) {
      return SizeDecision.hold(size, "cooling down after the last resize");
    }
    latencyBeforeGrow = sample.statementMillis;
    totalAtLastGrow = sample.total;
    int wantedSize = limits.sizeFor(wanted);
    int newSize = Math.max(size + 1, Math.max(floor, Math.min(ceiling, wantedSize)));
    return resized(newSize, true, "high load: " + why + " over " + limits.highPercent + "% of "
        + size + (wantedSize > ceiling ? ", up to the ceiling" : ""), sample.atMillis);
  }

  /** "demand 20.0 (5 in use, 15.0 waiting)". */
  private static String demand(PoolSample sample) {
    return String.format(Locale.ROOT, "demand %.1f (%s in use, %s waiting)", sample.demand(),
        figure(sample.inUse()), figure(sample.queue()));
  }

  private static String figure(double value) {
    return value == Math.rint(value) ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private SizeDecision resized(int newSize, boolean grew, String reason, long atMillis) {
    lastResizeMillis = atMillis;
    lastResizeGrew = grew;
    lastSeenMaximum = newSize;
    resetStreaks();
    return SizeDecision.resize(newSize, reason);
  }

  private void resetStreaks() {
    busyStreak = 0;
    quietStreak = 0;
  }
}
