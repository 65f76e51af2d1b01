package dev.pulse.agent.queries;

import dev.pulse.agent.jdbc.LogLinearTimes;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Execution times in the log-linear buckets of {@link LogLinearTimes}, each bucket that holds one of
 * the operation duration bounds ({@link OperationStats#DURATION_BOUNDS}) cut in two at that bound.
 * So one count per execution serves both the shape's percentiles (the parts of a bucket added back)
 * and its operation's exported histogram (each part lies wholly in one explicit bucket), exactly.
 */
final class ShapeTimes {
  /** Per log-linear bucket: the index of its first part. */
  private static final int[] FIRST = new int[LogLinearTimes.BUCKETS];
  /** Per log-linear bucket: a time in ns above this goes to its second part (none: MAX_VALUE). */
  private static final long[] CUT = new long[LogLinearTimes.BUCKETS];
  static final int PARTS = LogLinearTimes.BUCKETS + OperationStats.DURATION_NANOS.length;
  /** Per part: its log-linear bucket, and its explicit duration bucket. */
  private static final int[] LOG_LINEAR = new int[PARTS];
  private static final int[] DURATION = new int[PARTS];

  static {
    Arrays.fill(CUT, Long.MAX_VALUE);
    for (long bound : OperationStats.DURATION_NANOS) {
      CUT[LogLinearTimes.bucket(bound / 1000)] = bound;
    }
    int part = 0;
    for (int bucket = 0; bucket < LogLinearTimes.BUCKETS; bucket++) {
      FIRST[bucket] = part;
      // the bounds are whole microseconds: a part's lowest time decides its explicit bucket
      long lowest = LogLinearTimes.lowestMicros(bucket) * 1000;
      LOG_LINEAR[part] = bucket;
      DURATION[part++] = OperationStats.durationBucket(lowest);
      if (CUT[bucket] != Long.MAX_VALUE) {
        LOG_LINEAR[part] = bucket;
        DURATION[part++] = OperationStats.durationBucket(CUT[bucket] + 1);
      }
    }
  }

  private final AtomicLongArray counts = new AtomicLongArray(PARTS);

  /** One execution: two table reads and one atomic add. */
  void record(long nanos) {
    counts.incrementAndGet(part(nanos));
  }

  /** The part a time counts in. */
  static int part(long nanos) {
    int bucket = LogLinearTimes.bucket(nanos / 1000);
    return nanos > CUT[bucket] ? FIRST[bucket] + 1 : FIRST[bucket];
  }

  long executions() {
    long total = 0;
    for (int i = 0; i < PARTS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** Adds the counts into {@code logLinear}, by log-linear bucket (for percentiles). */
  void addLogLinear(long[] logLinear) {
    for (int i = 0; i < PARTS; i++) {
      logLinear[LOG_LINEAR[i]] += counts.get(i);
    }
  }

  /** Adds the counts into {@code durations}, by explicit bucket of the operation histogram. */
  void addDurations(long[] durations) {
    for (int i = 0; i < PARTS; i++) {
      durations[DURATION[i]] += counts.get(i);
    }
  }
}
