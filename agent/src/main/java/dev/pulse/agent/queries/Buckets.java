package dev.pulse.agent.queries;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram with explicit bucket bounds, as OpenTelemetry's explicit-bucket aggregation counts
 * (bucket i holds values above bound i-1, up to and including bound i; the last has no bound).
 * Recording is a short scan of the bounds and two atomic adds; reading copies the counts.
 */
final class Buckets {
  private final long[] bounds;
  private final AtomicLongArray counts;
  private final LongAdder sum = new LongAdder();

  Buckets(long[] bounds) {
    this.bounds = bounds;
    this.counts = new AtomicLongArray(bounds.length + 1);
  }

  void record(long value) {
    counts.incrementAndGet(bucketOf(bounds, value));
    sum.add(value);
  }

  /** The bucket of a value: the first whose bound it does not exceed (the last has none). */
  static int bucketOf(long[] bounds, long value) {
    int bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]) {
      bucket++;
    }
    return bucket;
  }

  long[] counts() {
    long[] copy = new long[counts.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  long sum() {
    return sum.sum();
  }
}
