package dev.pulse.agent.export;

/**
 * The statements of one attribute set of {@code db.client.operation.duration}, cumulative since
 * start, as the export reads them at a collection. Plain values: the export knows nothing of how
 * they were counted.
 */
public final class OperationSnapshot {
  /** Null for connections of no pool. */
  final String pool;
  final String system;
  /** Null when the statement's text names none (or, for the collection, several tables). */
  final String operation;
  final String collection;
  /** True for the statements past the cap on attribute sets. */
  final boolean overflow;
  /** Null for statements that succeeded. */
  final String errorType;
  /** Per bucket of the export's duration bounds, the last unbounded. */
  final long[] durationCounts;
  final long durationNanos;
  /** Per bucket of the export's row bounds; null when no row count is known. */
  final long[] rowCounts;
  final long rows;

  public OperationSnapshot(String pool, String system, String operation, String collection,
      boolean overflow, String errorType, long[] durationCounts, long durationNanos,
      long[] rowCounts, long rows) {
    this.pool = pool;
    this.system = system;
    this.operation = operation;
    this.collection = collection;
    this.overflow = overflow;
    this.errorType = errorType;
    this.durationCounts = durationCounts;
    this.durationNanos = durationNanos;
    this.rowCounts = rowCounts;
    this.rows = rows;
  }
}
