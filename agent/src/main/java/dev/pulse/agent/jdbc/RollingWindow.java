package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-second buckets of a few counters, lock-free, for "over the last N seconds" figures. A
 * bucket is reset by the first writer of a new second; a write racing with that reset may be
 * lost, which a window figure tolerates (the exact totals are kept elsewhere).
 */
public final class RollingWindow {
  static final int COUNT = 0;
  static final int TOTAL_NANOS = 1;
  static final int MAX_NANOS = 2;
  static final int FAILURES = 3;
  private static final int FIELDS = 4;
  private static final int BUCKETS = 64;

  private final AtomicLongArray seconds = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray values = new AtomicLongArray(BUCKETS * FIELDS);

  /** {@code count} events (a batch, or one) that together took {@code elapsedNanos}. */
  void record(long nowNanos, int count, long elapsedNanos, int failures) {
    int base = bucketFor(nowNanos / 1_000_000_000L) * FIELDS;
    values.addAndGet(base + COUNT, count);
    values.addAndGet(base + TOTAL_NANOS, elapsedNanos);
    raiseMax(base, elapsedNanos);
    if (failures > 0) {
      values.addAndGet(base + FAILURES, failures);
    }
  }

  /**
   * Only the maximum, where nothing reads the count or total (they are kept exactly elsewhere):
   * two atomic adds less per event. The snapshot's count and total then stay zero.
   */
  void recordMax(long nowNanos, long elapsedNanos) {
    raiseMax(bucketFor(nowNanos / 1_000_000_000L) * FIELDS, elapsedNanos);
  }

  private void raiseMax(int base, long elapsedNanos) {
    long max;
    while ((max = values.get(base + MAX_NANOS)) < elapsedNanos
        && !values.compareAndSet(base + MAX_NANOS, max, elapsedNanos)) {
      // another thread raised the max; try again against the new value
    }
  }

  private int bucketFor(long second) {
    int bucket = (int) (second % BUCKETS);
    long held = seconds.get(bucket);
    if (held != second && seconds.compareAndSet(bucket, held, second)) {
      int base = bucket * FIELDS;
      for (int i = 0; i < FIELDS; i++) {
        values.set(base + i, 0);
      }
    }
    return bucket;
  }

  /** Sums over the {@code windowSeconds} complete seconds before now (the current one excluded). */
  Snapshot snapshot(long nowNanos, int windowSeconds) {
    long current = nowNanos / 1_000_000_000L;
    long count = 0;
    long total = 0;
    long max = 0;
    long failures = 0;
    for (long second = current - windowSeconds; second < current; second++) {
      int bucket = (int) (second % BUCKETS);
      if (seconds.get(bucket) != second) {
        continue;
      }
      int base = bucket * FIELDS;
      count += values.get(base + COUNT);
      total += values.get(base + TOTAL_NANOS);
      max = Math.max(max, values.get(base + MAX_NANOS));
      failures += values.get(base + FAILURES);
    }
    return new Snapshot(windowSeconds, count, total, max, failures);
  }

  /** Window figures; ms values as doubles. */
  public static final class Snapshot {
    final int windowSeconds;
    public final long count;
    final long totalNanos;
    final long maxNanos;
    public final long failures;

    Snapshot(int windowSeconds, long count, long totalNanos, long maxNanos, long failures) {
      this.windowSeconds = windowSeconds;
      this.count = count;
      this.totalNanos = totalNanos;
      this.maxNanos = maxNanos;
      this.failures = failures;
    }

    public double perSecond() {
      return (double) count / windowSeconds;
    }

    public double meanMillis() {
      return count == 0 ? 0 : totalNanos / 1e6 / count;
    }

    public double maxMillis() {
      return maxNanos / 1e6;
    }
  }
}
