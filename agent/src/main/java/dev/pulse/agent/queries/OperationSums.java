package dev.pulse.agent.queries;

/**
 * An operation's figures for the statements that succeeded, as exported: counts per duration
 * bucket and their total time, counts per row bucket and the rows. A plain holder, filled on the
 * agent's threads.
 */
final class OperationSums {
  final long[] durations = new long[OperationStats.DURATION_BOUNDS.length + 1];
  long nanos;
  final long[] rowCounts = new long[OperationStats.ROW_BOUNDS.length + 1];
  long rows;

  void add(OperationSums other) {
    for (int i = 0; i < durations.length; i++) {
      durations[i] += other.durations[i];
    }
    for (int i = 0; i < rowCounts.length; i++) {
      rowCounts[i] += other.rowCounts[i];
    }
    nanos += other.nanos;
    rows += other.rows;
  }

  long statements() {
    long total = 0;
    for (long count : durations) {
      total += count;
    }
    return total;
  }

  boolean anyRows() {
    for (long count : rowCounts) {
      if (count > 0) {
        return true;
      }
    }
    return false;
  }
}
