package dev.pulse.agent.queries;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of one pool with the same operation and collection (the attributes of the
 * OpenTelemetry {@code db.client.operation.duration}), since start: durations of those that
 * succeeded, the rows they returned where the driver tells, and durations of those that failed,
 * per error type. Unlike a shape, it is never evicted, so its counts only grow. Recorded on the
 * application's thread (a bucket scan and a few atomic adds); a failure of a type not seen before
 * adds an entry, up to {@link #MAX_ERROR_TYPES}, then counts as {@link #OTHER_ERROR}.
 */
final class OperationStats {
  /** Upper bounds, in seconds, the conventions advise for {@code db.client.operation.duration}. */
  static final double[] DURATION_BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};
  /** Upper bounds for {@code db.client.response.returned_rows} (the conventions advise none). */
  static final long[] ROW_BOUNDS = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
  static final int MAX_ERROR_TYPES = 16;
  /** The conventions' value when a type is known but not named. */
  static final String OTHER_ERROR = "_OTHER";
  private static final long[] DURATION_NANOS = new long[DURATION_BOUNDS.length];

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
  private final Buckets succeeded = new Buckets(DURATION_NANOS);
  private final Buckets rows = new Buckets(ROW_BOUNDS);
  private final ConcurrentHashMap<String, Buckets> failed = new ConcurrentHashMap<>();

  OperationStats(String operation, String collection, boolean overflow) {
    this.operation = operation;
    this.collection = collection;
    this.overflow = overflow;
  }

  /**
   * {@code rowCount} below 0 when the driver does not tell; {@code errorType} (see
   * {@link #errorType}) null when the statement succeeded.
   */
  void record(long elapsedNanos, long rowCount, String errorType) {
    if (errorType == null) {
      succeeded.record(elapsedNanos);
      if (rowCount >= 0) {
        rows.record(rowCount);
      }
      return;
    }
    String type = errorType;
    Buckets byType = failed.get(type);
    if (byType == null) {
      byType = failed.size() < MAX_ERROR_TYPES
          ? failed.computeIfAbsent(type, any -> new Buckets(DURATION_NANOS))
          : failed.computeIfAbsent(OTHER_ERROR, any -> new Buckets(DURATION_NANOS));
    }
    byType.record(elapsedNanos);
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
        return state.substring(0, 2);
      }
    }
    return (cause instanceof SQLException ? cause : failure).getClass().getName();
  }

  Buckets succeeded() {
    return succeeded;
  }

  Buckets rows() {
    return rows;
  }

  Map<String, Buckets> failed() {
    return failed;
  }
}
