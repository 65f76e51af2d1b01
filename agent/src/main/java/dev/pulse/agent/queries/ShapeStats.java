package dev.pulse.agent.queries;

import dev.pulse.agent.jdbc.LogLinearTimes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One shape's figures in one pool, since the shape was first seen. A statement that succeeded is
 * recorded once, in the part of its kind ({@link #single} or {@link #batch}), with two uncontended
 * atomic adds (three or four with a row count); its operation's figures are summed from the parts
 * on the agent's thread. Read on the agent's thread.
 */
final class ShapeStats {
  final String id;
  final String sql;
  /**
   * The executions that succeeded run alone and as batches (the conventions' "BATCH INSERT"), each
   * counting in its operation; set by the agent's thread, null until it has.
   */
  volatile ShapeExecutions single;
  volatile ShapeExecutions batch;
  /** Set by the agent's thread when the shape leaves the table: nothing new counts in it. */
  boolean evicted;
  private final LongAdder failures = new LongAdder();
  private final LongAdder failedNanos = new LongAdder();
  private final LongAdder failedBatched = new LongAdder();
  /** Made at the first failure: most shapes never fail. */
  private final AtomicReference<LogLinearTimes> failedTimes = new AtomicReference<>();
  /** When the next slow_query of this shape may go (System.nanoTime()), and those held back. */
  private final AtomicLong nextSlow = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder slowHeldBack = new LongAdder();

  ShapeStats(String sql) {
    this.sql = sql;
    this.id = SqlShape.id(sql);
  }

  /** An execution that failed ({@code statements}: 1, or a batch's size). */
  void recordFailure(long elapsedNanos, int statements) {
    failures.increment();
    failedNanos.add(elapsedNanos);
    if (statements > 1) {
      failedBatched.add(statements - 1L);
    }
    LogLinearTimes times = failedTimes.get();
    if (times == null) {
      failedTimes.compareAndSet(null, new LogLinearTimes());
      times = failedTimes.get();
    }
    times.record(elapsedNanos);
  }

  long calls() {
    long calls = failures.sum() + failedBatched.sum();
    for (ShapeExecutions part : new ShapeExecutions[] {single, batch}) {
      if (part != null) {
        calls += part.statements();
      }
    }
    return calls;
  }

  long totalNanos() {
    long total = failedNanos.sum();
    for (ShapeExecutions part : new ShapeExecutions[] {single, batch}) {
      if (part != null) {
        total += part.nanos();
      }
    }
    return total;
  }

  /** True when a slow statement of this shape may be reported now: at most one per {@code gapNanos}. */
  boolean slowAllowed(long now, long gapNanos) {
    long next = nextSlow.get();
    if (next != Long.MIN_VALUE && now - next < 0) {
      slowHeldBack.increment();
      return false;
    }
    if (nextSlow.compareAndSet(next, now + gapNanos)) {
      return true;
    }
    slowHeldBack.increment();
    return false;
  }

  /** Slow statements of this shape not reported since the last one that was. */
  long takeSlowHeldBack() {
    return slowHeldBack.sumThenReset();
  }

  Map<String, Object> figures() {
    long callCount = calls();
    double total = totalNanos() / 1e6;
    long[] times = new long[LogLinearTimes.BUCKETS];
    long rows = 0;
    for (ShapeExecutions part : new ShapeExecutions[] {single, batch}) {
      if (part != null) {
        part.addLogLinear(times);
        rows += part.rows();
      }
    }
    LogLinearTimes failed = failedTimes.get();
    if (failed != null) {
      long[] failedCounts = failed.snapshot();
      for (int i = 0; i < times.length; i++) {
        times[i] += failedCounts[i];
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("shape_id", id);
    figures.put("sql", sql);
    figures.put("calls", callCount);
    figures.put("total_ms", round(total));
    figures.put("mean_ms", round(callCount == 0 ? 0 : total / callCount));
    Double p99 = LogLinearTimes.quantileMillis(new long[LogLinearTimes.BUCKETS], times, 0.99);
    figures.put("p99_ms", p99 == null ? 0.0 : p99);
    figures.put("rows", rows);
    figures.put("failures", failures.sum());
    return figures;
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
