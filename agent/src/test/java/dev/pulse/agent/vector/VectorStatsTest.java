package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A collection's exact figures, read an interval at a time. */
class VectorStatsTest {
  private VectorStats.Totals previous;

  /** The interval since this reader's previous call, as vector_stats reads it. */
  private VectorStats.Interval take(VectorStats stats) {
    VectorStats.Totals now = stats.totals();
    VectorStats.Interval interval = now.since(previous == null ? stats.atStart() : previous);
    previous = now;
    return interval;
  }

  @Test
  void twoReadersEachGetTheirOwnIntervals() {
    VectorStats stats = new VectorStats("items", 50);
    VectorStats.Totals series = stats.atStart();
    stats.record(1_000_000, 10, 10, false);
    VectorStats.Totals seriesNow = stats.totals();
    assertEquals(1, seriesNow.since(series).searches, "a per-second reader");
    stats.record(1_000_000, 10, 10, false);
    assertEquals(1, stats.totals().since(seriesNow).searches);
    assertEquals(2, take(stats).searches, "the vector_stats reader is not disturbed by the other");
  }

  @Test
  void anIntervalCarriesExactCountsRowsAndShortResults() {
    VectorStats stats = new VectorStats("items", 50);
    stats.record(1_000_000, 10, 10, true);
    stats.record(2_000_000, 4, 10, false); // fewer than k
    stats.record(3_000_000, -1, 10, false); // rows unknown: counted, not in the mean
    VectorStats.Interval first = take(stats);
    assertEquals(3, first.searches);
    assertEquals(3, first.searchesTotal);
    assertEquals(7.0, first.rowsMean());
    assertEquals(1, first.shortResults);
    assertEquals(1, first.events);

    stats.record(1_000_000, 10, 10, false);
    VectorStats.Interval second = take(stats);
    assertEquals(1, second.searches, "only what came after the previous take");
    assertEquals(4, second.searchesTotal);
    assertEquals(0, second.shortResults);

    VectorStats.Interval quiet = take(stats);
    assertEquals(0, quiet.searches);
    assertNull(quiet.timeMillis(0.5), "no searches, no quantile");
    assertNull(quiet.rowsMean());
  }

  @Test
  void quantilesAreWithinTheHistogramsResolution() {
    VectorStats stats = new VectorStats("items", 50);
    // 1 ms .. 100 ms, one search per 0.1 ms step: p50 ~ 50 ms, p95 ~ 95 ms, p99 ~ 99 ms
    for (int i = 10; i <= 1000; i++) {
      stats.record(i * 100_000L, 10, 10, false);
    }
    VectorStats.Interval interval = take(stats);
    assertNear(50.5, interval.timeMillis(0.50));
    assertNear(95.0, interval.timeMillis(0.95));
    assertNear(99.0, interval.timeMillis(0.99));
  }

  @Test
  void concurrentSearchesAreAllCounted() throws Exception {
    VectorStats stats = new VectorStats("items", 50);
    int threads = 4;
    int each = 25_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          stats.record(500_000 + i, 5, 10, false);
        }
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    long taken = 0;
    for (Thread thread : running) {
      while (thread.isAlive()) {
        taken += take(stats).searches; // reads while they record: nothing is lost or twice
        thread.join(1);
      }
    }
    taken += take(stats).searches;
    assertEquals((long) threads * each, taken);
    assertEquals(taken, take(stats).searchesTotal);
  }

  private static void assertNear(double expected, Double actual) {
    assertTrue(actual != null && Math.abs(actual - expected) <= expected * 0.07,
        "expected about " + expected + " ms, got " + actual);
  }
}
