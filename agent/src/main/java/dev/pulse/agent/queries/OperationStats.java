package dev.pulse.agent.queries;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of one pool with the same operation and collection (the attributes of the
 * OpenTelemetry {@code db.client.operation.duration}), since start: durations of those that
 * succeeded, the rows they returned where the driver tells, and durations of those that failed,
 * per error type. Unlike a shape, it is never evicted, so its counts only grow.
 *
 * <p>The statements that succeeded are recorded once, in their shapes' {@link ShapeExecutions},
 * and summed here on the agent's thread when read; a shape evicted from the table leaves its sums
 * here ({@link #leave}), so the counts stay exact and never go back. Only statements with no shape
 * (no text seen) are recorded here directly. Failures are rare: they are recorded here on the
 * application's thread; a type not seen before adds an entry, up to {@link #MAX_ERROR_TYPES},
 * then counts as {@link #OTHER_ERROR}.
 */
final class OperationStats {
  /** Upper bounds, in seconds, the conventions advise for {@code db.client.operation.duration}. */
  static final double[] DURATION_BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};
  /** Upper bounds for {@code db.client.response.returned_rows} (the conventions advise none). */
  static final long[] ROW_BOUNDS = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
  static final int MAX_ERROR_TYPES = 16;
  /** The conventions' value when a type is known but not named. */
  static final String OTHER_ERROR = "_OTHER";
  static final long[] DURATION_NANOS = new long[DURATION_BOUNDS.length];

  static {
    for (int i = 0; i < DURATION_BOUNDS.length; i++) {
      DURATION_NANOS[i] = Math.round(DURATION_BOUNDS[i] * 1e9);
    }
  }

  /** Null when the text names none (or several tables, for the collection). */
  final String operation;
  final String collection;
  /** True for the statements past the cap on attribute sets: counted here, named by nothing. */
  final boolean overflow;
  /** Statements with no shape, recorded here on the application's thread. */
  private final Buckets unshaped = new Buckets(DURATION_NANOS);
  private final Buckets unshapedRows = new Buckets(ROW_BOUNDS);
  private final ConcurrentHashMap<String, Buckets> failed = new ConcurrentHashMap<>();
  // the rest is the agent's, under QueryStats' lock
  private final List<ShapeExecutions> parts = new ArrayList<>();
  /** Parts of evicted shapes, still summed live until the pass after next (see {@link #pass}). */
  private List<ShapeExecutions> leaving = new ArrayList<>();
  private List<ShapeExecutions> leftEarlier = new ArrayList<>();
  /** The sums of parts gone with their shapes. */
  private final OperationSums retired = new OperationSums();

  OperationStats(String operation, String collection, boolean overflow) {
    this.operation = operation;
    this.collection = collection;
    this.overflow = overflow;
  }

  /** The explicit duration bucket of a time: above bound i-1, up to and including bound i. */
  static int durationBucket(long nanos) {
    return Buckets.bucketOf(DURATION_NANOS, nanos);
  }

  static int rowBucket(long rows) {
    return Buckets.bucketOf(ROW_BOUNDS, rows);
  }

  /**
   * A statement of no shape. {@code rowCount} below 0 when the driver does not tell;
   * {@code errorType} (see {@link #errorType}) null when the statement succeeded.
   */
  void recordUnshaped(long elapsedNanos, long rowCount, String errorType) {
    if (errorType != null) {
      recordFailure(elapsedNanos, errorType);
      return;
    }
    unshaped.record(elapsedNanos);
    if (rowCount >= 0) {
      unshapedRows.record(rowCount);
    }
  }

  void recordFailure(long elapsedNanos, String errorType) {
    Buckets byType = failed.get(errorType);
    if (byType == null) {
      byType = failed.size() < MAX_ERROR_TYPES
          ? failed.computeIfAbsent(errorType, any -> new Buckets(DURATION_NANOS))
          : failed.computeIfAbsent(OTHER_ERROR, any -> new Buckets(DURATION_NANOS));
    }
    byType.record(elapsedNanos);
  }

  /** Agent's thread, under the lock: a shape's executions count here from now on. */
  void add(ShapeExecutions part) {
    parts.add(part);
  }

  /** Agent's thread, under the lock: the part's shape was evicted. */
  void leave(ShapeExecutions part) {
    if (parts.remove(part)) {
      leaving.add(part);
    }
  }

  /**
   * Agent's thread, under the lock, at each eviction round and each read: folds into the retired
   * sums the parts that left before the previous pass. An application thread that found the
   * shape just before it was evicted may still add to its part: by then it long has.
   */
  void pass() {
    for (ShapeExecutions part : leftEarlier) {
      part.addTo(retired);
    }
    leftEarlier.clear();
    List<ShapeExecutions> swap = leftEarlier;
    leftEarlier = leaving;
    leaving = swap;
  }

  /** Agent's thread, under the lock: the statements that succeeded, since start. */
  OperationSums succeeded() {
    OperationSums sums = new OperationSums();
    sums.add(retired);
    for (ShapeExecutions part : parts) {
      part.addTo(sums);
    }
    for (ShapeExecutions part : leaving) {
      part.addTo(sums);
    }
    for (ShapeExecutions part : leftEarlier) {
      part.addTo(sums);
    }
    long[] durations = unshaped.counts();
    long[] rowCounts = unshapedRows.counts();
    for (int i = 0; i < durations.length; i++) {
      sums.durations[i] += durations[i];
    }
    for (int i = 0; i < rowCounts.length; i++) {
      sums.rowCounts[i] += rowCounts[i];
    }
    sums.nanos += unshaped.sum();
    sums.rows += unshapedRows.sum();
    return sums;
  }

  /**
   * The class of the SQLState (its first two characters: "42" for a syntax error or an unknown
   * table, "23" for a broken constraint) where the driver gives one, else the exception's class.
   */
  static String errorType(Throwable failure) {
    Throwable cause = failure;
    while (!(cause instanceof SQLException) && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause(); // the driver's exception, where a layer wrapped it
    }
    if (cause instanceof SQLException) {
      String state = ((SQLException) cause).getSQLState();
      if (state != null && state.length() >= 2) {
        return stateClass(state);
      }
    }
    return (cause instanceof SQLException ? cause : failure).getClass().getName();
  }

  /** SQLState classes already cut, by their two characters: a failure does not allocate one. */
  private static final String[] STATE_CLASSES = new String[36 * 36];

  static String stateClass(String state) {
    int first = base36(state.charAt(0));
    int second = base36(state.charAt(1));
    if (first < 0 || second < 0) {
      return state.substring(0, 2); // not a standard SQLState
    }
    int index = first * 36 + second;
    String known = STATE_CLASSES[index];
    if (known == null) { // a race makes two equal strings, either of which serves
      known = state.substring(0, 2);
      STATE_CLASSES[index] = known;
    }
    return known;
  }

  private static int base36(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
  }

  Map<String, Buckets> failed() {
    return failed;
  }
}
