package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times since start in log-linear microsecond buckets (eight per power of two: a quantile read
 * from it is within about 6% of the true value, where power-of-two buckets are off by up to 2x),
 * from 1 µs to about 35 minutes. One atomic add per time recorded; a reader takes the difference of
 * two snapshots for an interval. 1.9 KB each.
 */
public final class LogLinearTimes {
  private static final int SUB_BITS = 3;
  private static final int SUBS = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 31;
  public static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUBS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  public void record(long nanos) {
    counts.incrementAndGet(bucket(nanos / 1000));
  }

  public long[] snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  public static int bucket(long micros) {
    if (micros < SUBS) {
      return (int) Math.max(0, micros);
    }
    int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(micros));
    long sub = exponent == MAX_EXPONENT && micros >= (1L << (MAX_EXPONENT + 1)) ? SUBS - 1
        : (micros >> (exponent - SUB_BITS)) & (SUBS - 1);
    return (exponent - SUB_BITS + 1) * SUBS + (int) sub;
  }

  /** The lowest microsecond a bucket holds. */
  public static long lowestMicros(int bucket) {
    return bucket < SUBS ? bucket : (long) (SUBS + bucket % SUBS) << (bucket / SUBS - 1);
  }

  /** The middle of a bucket, in ms. */
  static double middleMillis(int bucket) {
    long width = bucket < SUBS ? 1 : 1L << (bucket / SUBS - 1);
    return (lowestMicros(bucket) + width / 2.0) / 1000.0;
  }

  /** The given quantile of the interval {@code later - earlier} in ms, or null when it is empty. */
  public static Double quantileMillis(long[] earlier, long[] later, double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += later[i] - earlier[i];
    }
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += later[i] - earlier[i];
      if (seen >= rank) {
        return Math.round(middleMillis(i) * 1000) / 1000.0;
      }
    }
    return Math.round(middleMillis(BUCKETS - 1) * 1000) / 1000.0;
  }
}
