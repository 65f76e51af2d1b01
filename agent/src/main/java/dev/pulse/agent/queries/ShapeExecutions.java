package dev.pulse.agent.queries;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The executions of one shape of one kind (run alone, or as batches) that succeeded, recorded once
 * on the application's thread: their time (one count that serves the shape's percentiles and its
 * operation's histogram, see {@link ShapeTimes}), total time and rows. The operation they count in
 * sums them on the agent's thread when it is read.
 */
final class ShapeExecutions {
  final OperationStats operation;
  private final ShapeTimes times = new ShapeTimes();
  private final LongAdder nanos = new LongAdder();
  /** Executions with a known row count, per bucket of {@link OperationStats#ROW_BOUNDS}. */
  private final AtomicLongArray rowCounts = new AtomicLongArray(OperationStats.ROW_BOUNDS.length + 1);
  private final LongAdder rows = new LongAdder();
  /** Statements beyond one per execution (batches). */
  private final LongAdder batched = new LongAdder();

  ShapeExecutions(OperationStats operation) {
    this.operation = operation;
  }

  /** {@code statements}: 1, or a batch's size; {@code rowCount} below 0 when unknown. */
  void record(long elapsedNanos, int statements, long rowCount) {
    times.record(elapsedNanos);
    nanos.add(elapsedNanos);
    if (rowCount >= 0) {
      rowCounts.incrementAndGet(OperationStats.rowBucket(rowCount));
      if (rowCount > 0) {
        rows.add(rowCount);
      }
    }
    if (statements > 1) {
      batched.add(statements - 1L);
    }
  }

  /** Statements run: executions, plus the extra statements of batches. */
  long statements() {
    return times.executions() + batched.sum();
  }

  long nanos() {
    return nanos.sum();
  }

  long rows() {
    return rows.sum();
  }

  void addLogLinear(long[] logLinear) {
    times.addLogLinear(logLinear);
  }

  /** Adds these executions to an operation's sums (as the conventions count: one per execution). */
  void addTo(OperationSums sums) {
    times.addDurations(sums.durations);
    sums.nanos += nanos.sum();
    for (int i = 0; i < sums.rowCounts.length; i++) {
      sums.rowCounts[i] += rowCounts.get(i);
    }
    sums.rows += rows.sum();
  }
}
