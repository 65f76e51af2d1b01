package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.LongAdder;

/** Every application statement since start, pooled or not: the request figures of system_stats. */
public final class JdbcTotals {
  private final LongAdder statements = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  void record(int count, long elapsedNanos, boolean failed) {
    statements.add(count);
    nanos.add(elapsedNanos);
    if (failed) {
      failures.add(count);
    }
  }

  public long statements() {
    return statements.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /** Mean statement time since start, ms; 0 before the first. */
  public double meanMillis() {
    long count = statements.sum();
    return count == 0 ? 0 : nanos.sum() / 1e6 / count;
  }
}
