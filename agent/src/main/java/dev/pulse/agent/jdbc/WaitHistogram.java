package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations (connection waits, statement times) in power-of-two microsecond buckets (1 µs .. ~2 min), cumulative since start.
 * A reader takes the difference of two snapshots to get the distribution of an interval.
 */
public final class WaitHistogram {
  public static final int BUCKETS = 28;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  public void record(long nanos) {
    long micros = Math.max(1, nanos / 1000);
    int bucket = Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(micros));
    counts.incrementAndGet(bucket);
  }

  public long[] snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  /** Upper bound of bucket {@code i}, in seconds (the last bucket also holds everything longer). */
  public static double upperBoundSeconds(int bucket) {
    return (1L << (bucket + 1)) / 1e6;
  }

  /** Upper bound in ms of the bucket holding the given quantile of the interval {@code later - earlier}. */
  public static double quantileMillis(long[] earlier, long[] later, double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += later[i] - earlier[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += later[i] - earlier[i];
      if (seen >= rank) {
        return (1L << (i + 1)) / 1000.0;
      }
    }
    return (1L << BUCKETS) / 1000.0;
  }
}
