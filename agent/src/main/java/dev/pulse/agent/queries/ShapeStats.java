package dev.pulse.agent.queries;

import dev.pulse.agent.jdbc.LogLinearTimes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One shape's figures in one pool, since the shape was first seen: recorded on the application's
 * thread with two uncontended atomic adds (the time histogram counts the executions), read on the
 * agent's.
 */
final class ShapeStats {
  final String id;
  final String sql;
  /** Statements beyond one per execution (batches): calls = executions recorded + these. */
  private final LongAdder batched = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final LongAdder rows = new LongAdder();
  private final LongAdder failures = new LongAdder();
  /** Log-linear, so the p99 is within about 6% (power-of-two buckets were off by up to 2x). */
  private final LogLinearTimes times = new LogLinearTimes();
  /** When the next slow_query of this shape may go (System.nanoTime()), and those held back. */
  private final AtomicLong nextSlow = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder slowHeldBack = new LongAdder();
  /**
   * Where this shape's executions count by operation and collection, run alone and as a batch
   * (the conventions' "BATCH INSERT"); set by the agent's thread, null until it has.
   */
  volatile OperationStats single;
  volatile OperationStats batch;

  ShapeStats(String sql) {
    this.sql = sql;
    this.id = SqlShape.id(sql);
  }

  /** {@code statements}: 1, or a batch's size; {@code rowCount} below 0 when unknown. */
  void record(long elapsedNanos, int statements, long rowCount, boolean failed) {
    if (statements > 1) {
      batched.add(statements - 1L);
    }
    totalNanos.add(elapsedNanos);
    times.record(elapsedNanos);
    if (rowCount > 0) {
      rows.add(rowCount);
    }
    if (failed) {
      failures.increment();
    }
  }

  long calls() {
    long executions = 0;
    for (long count : times.snapshot()) {
      executions += count;
    }
    return executions + batched.sum();
  }

  long totalNanos() {
    return totalNanos.sum();
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
    double total = totalNanos.sum() / 1e6;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("shape_id", id);
    figures.put("sql", sql);
    figures.put("calls", callCount);
    figures.put("total_ms", round(total));
    figures.put("mean_ms", round(callCount == 0 ? 0 : total / callCount));
    Double p99 = LogLinearTimes.quantileMillis(new long[LogLinearTimes.BUCKETS], times.snapshot(), 0.99);
    figures.put("p99_ms", p99 == null ? 0.0 : p99);
    figures.put("rows", rows.sum());
    figures.put("failures", failures.sum());
    return figures;
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
