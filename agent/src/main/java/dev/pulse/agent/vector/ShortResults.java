package dev.pulse.agent.vector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per pool and collection, how many searches returned fewer rows than k since the advisor last looked.
 * Counted on the application's thread (one map lookup, one or two atomic adds); bounded to
 * {@link #MAX_COLLECTIONS}: searches of collections past it are not counted.
 */
final class ShortResults {
  static final int MAX_COLLECTIONS = 512;
  private final Map<String, Map<String, AtomicLongArray>> counts = new ConcurrentHashMap<>();
  /** Collections counted, over all pools. */
  private final AtomicInteger size = new AtomicInteger();

  /** Searches and short ones, taken and reset together. */
  static final class Share {
    final long searches;
    final long fewer;

    Share(long searches, long fewer) {
      this.searches = searches;
      this.fewer = fewer;
    }

    double share() {
      return searches == 0 ? 0 : (double) fewer / searches;
    }
  }

  /** One map per pool, by collection: counting a search builds no key (nothing allocated). */
  void count(String pool, String collection, int k, int rows) {
    Map<String, AtomicLongArray> ofPool = counts.get(pool);
    AtomicLongArray pair = ofPool == null ? null : ofPool.get(collection);
    if (pair == null) {
      if (size.get() >= MAX_COLLECTIONS) {
        return;
      }
      pair = counts.computeIfAbsent(pool, ignored -> new ConcurrentHashMap<>())
          .computeIfAbsent(collection, ignored -> {
            size.incrementAndGet();
            return new AtomicLongArray(2);
          });
    }
    pair.incrementAndGet(0);
    if (rows < k) {
      pair.incrementAndGet(1);
    }
  }

  /** The counts since the last time this returned a share of at least {@code least} searches. */
  Share takeIfAtLeast(String pool, String collection, long least) {
    Map<String, AtomicLongArray> ofPool = counts.get(pool);
    AtomicLongArray pair = ofPool == null ? null : ofPool.get(collection);
    if (pair == null || pair.get(0) < least) {
      return null;
    }
    // Short first: a search counted between the two reads is at worst counted whole next time.
    long shortOnes = pair.getAndSet(1, 0);
    long searches = pair.getAndSet(0, 0);
    return new Share(searches, Math.min(shortOnes, searches));
  }
}
