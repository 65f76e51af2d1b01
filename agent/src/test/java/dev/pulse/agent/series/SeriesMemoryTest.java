package dev.pulse.agent.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.hikari.HikariPools;
import dev.pulse.agent.instrumentation.Hooks;
import dev.pulse.agent.jdbc.PoolRegistry;
import dev.pulse.agent.vector.RecordedSearches;
import dev.pulse.testing.FakeHikari;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The memory the series hold with 20 pools and 50 collections: fixed by the rings' arrays, the
 * same after 20 minutes of samples as after one, and measured as heap retained after collection.
 */
class SeriesMemoryTest {
  /**
   * The stated bounds (docs/benchmarks.md): a pool's series; a collection's series and the totals
   * its previous sample read (the collection's own figures are vector_stats', counted apart).
   */
  static final long POOL_BYTES = 28 * 1024;
  static final long COLLECTION_BYTES = 22 * 1024;
  private static final int POOLS = 20;
  private static final int COLLECTIONS = 50;

  private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);

  @Test
  void twentyPoolsAndFiftyCollectionsHoldTheirRingsAndNoMore() {
    HikariPools pools = poolsNamed(POOLS);
    RecordedSearches searches = new RecordedSearches(() -> { });
    SeriesKeeper keeper = new SeriesKeeper(pools::all, searches.publisher(), clock::get);
    runFor(keeper, searches, 60);
    long rings = POOLS * new SecondRing(Figures.POOL.count()).arrayBytes()
        + COLLECTIONS * new SecondRing(Figures.COLLECTION.count()).arrayBytes();
    assertEquals(rings, keeper.arrayBytes());
    runFor(keeper, searches, 20 * 60);
    assertEquals(rings, keeper.arrayBytes(), "20 minutes later: the same arrays, reused");
  }

  @Test
  void retainedHeapStaysWithinTheStatedBounds() {
    HikariPools pools = poolsNamed(POOLS);
    long before = retainedHeap();
    RecordedSearches searches = new RecordedSearches(() -> { });
    SeriesKeeper keeper = new SeriesKeeper(pools::all, searches.publisher(), clock::get);
    runFor(keeper, null, SecondRing.SECONDS);
    long withPools = retainedHeap();
    searchEach(searches); // the collections' own figures, vector_stats' whether series are kept or not
    long withStats = retainedHeap();
    runFor(keeper, searches, SecondRing.SECONDS);
    long withCollections = retainedHeap();
    // what one run costs the scheduler's thread (printed for docs/benchmarks.md; no timing assertion)
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < 300; i++) {
      keeper.run();
      clock.addAndGet(1000);
    }
    System.out.printf("series sample of %d pools and %d collections: %d us of thread CPU each%n",
        POOLS, COLLECTIONS, (threads.getCurrentThreadCpuTime() - cpu) / 300 / 1000);
    long replyCpu = threads.getCurrentThreadCpuTime();
    int points = 0;
    for (Map<String, ?> one : keeper.series(15)) {
      points += (Integer) one.get("points");
    }
    System.out.printf("series copy for a reply: %d points, %d us of thread CPU%n", points,
        (threads.getCurrentThreadCpuTime() - replyCpu) / 1000);
    long perPool = (withPools - before) / POOLS;
    long perCollection = (withCollections - withStats) / COLLECTIONS;
    System.out.printf("series memory: %d pools %d B each, %d collections %d B each, %d B in all"
        + " (besides the collections' vector_stats figures, %d B each)%n", POOLS, perPool,
        COLLECTIONS, perCollection, withCollections - withStats + (withPools - before),
        (withStats - withPools) / COLLECTIONS);
    assertTrue(perPool <= POOL_BYTES, "per pool: " + perPool);
    assertTrue(perCollection <= COLLECTION_BYTES, "per collection: " + perCollection);
    assertEquals(POOLS + COLLECTIONS, keeper.series(15).size()); // and keeps it all reachable
  }

  /** One sample a second for {@code seconds}, every collection searched in each (unless null). */
  private void runFor(SeriesKeeper keeper, RecordedSearches searches, int seconds) {
    for (int s = 0; s < seconds; s++) {
      if (searches != null) {
        searchEach(searches);
      }
      keeper.run();
      clock.addAndGet(1000);
    }
  }

  private static void searchEach(RecordedSearches searches) {
    for (int c = 0; c < COLLECTIONS; c++) {
      searches.search("collection_" + c, 1.5, 10);
    }
  }

  private static HikariPools poolsNamed(int count) {
    Hooks hooks = new Hooks();
    HikariPools pools = new HikariPools(hooks::keyOf, new PoolRegistry(ds -> "unused"));
    for (int i = 0; i < count; i++) {
      FakeHikari.Config config = new FakeHikari.Config("pool_" + i, 10, 2);
      FakeHikari.Pool pool = new FakeHikari.Pool();
      pools.register(pool, config);
    }
    return pools;
  }

  private static long retainedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
