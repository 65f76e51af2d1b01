package dev.pulse.agent.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.instrumentation.DataSourceKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollingWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void sumsTheCompleteSecondsOfTheWindowOnly() {
    RollingWindow window = new RollingWindow();
    long base = 1000 * SECOND;
    window.record(base, 1, 2_000_000, 0);            // second 1000
    window.record(base + SECOND, 1, 4_000_000, 1);    // second 1001
    window.record(base + SECOND + 5, 1, 6_000_000, 0);
    window.record(base + 2 * SECOND, 1, 1_000_000, 0); // second 1002: the current one, excluded
    RollingWindow.Snapshot snapshot = window.snapshot(base + 2 * SECOND, 2);
    assertEquals(3, snapshot.count);
    assertEquals(1, snapshot.failures);
    assertEquals(1.5, snapshot.perSecond(), 1e-9);
    assertEquals(4.0, snapshot.meanMillis(), 1e-9);
    assertEquals(6.0, snapshot.maxMillis(), 1e-9);
    assertEquals(2, window.snapshot(base + 2 * SECOND, 1).count);
  }

  @Test
  void aMaximumOnlyWindowKeepsTheLongestOfItsCompleteSecondsAndNothingElse() {
    RollingWindow window = new RollingWindow();
    long base = 3000 * SECOND;
    window.recordMax(base, 7_000_000);                 // second 3000
    window.recordMax(base + SECOND, 2_000_000);         // second 3001
    window.recordMax(base + SECOND + 5, 3_000_000);
    window.recordMax(base + 2 * SECOND, 9_000_000);     // second 3002: the current one, excluded
    assertEquals(7.0, window.snapshot(base + 2 * SECOND, 2).maxMillis(), 1e-9);
    assertEquals(3.0, window.snapshot(base + 2 * SECOND, 1).maxMillis(), 1e-9);
    assertEquals(0, window.snapshot(base + 2 * SECOND, 2).count);
    PoolMetrics pool = new PoolMetrics("pool-a");
    pool.recordAcquire(base, 4_000_000, null);
    pool.recordAcquire(base + 1, 5_000_000, new java.sql.SQLException("refused", "08001"));
    assertEquals(5.0, pool.maxWaitMillis(base + SECOND, 1), 1e-9);
    assertEquals(9_000_000, pool.waitNanos());
    assertEquals(2, pool.acquisitions());
    assertEquals(1, pool.failedAcquisitions());
  }

  @Test
  void aBucketIsReusedAfterItsSecondHasPassed() {
    RollingWindow window = new RollingWindow();
    long base = 5000 * SECOND;
    window.record(base, 1, 1_000_000, 0);
    window.record(base + 64 * SECOND, 1, 3_000_000, 0); // same bucket, 64 s later
    RollingWindow.Snapshot old = window.snapshot(base + SECOND, 1);
    assertEquals(0, old.count, "the old second was overwritten");
    RollingWindow.Snapshot recent = window.snapshot(base + 65 * SECOND, 1);
    assertEquals(1, recent.count);
    assertEquals(3.0, recent.maxMillis(), 1e-9);
  }

  @Test
  void waitQuantilesComeFromTheIntervalBetweenSnapshots() {
    WaitHistogram histogram = new WaitHistogram();
    histogram.record(500_000_000L); // an old 500 ms wait, before the interval
    long[] before = histogram.snapshot();
    for (int i = 0; i < 99; i++) {
      histogram.record(300_000); // 0.3 ms: bucket 256..512 µs
    }
    histogram.record(40_000_000L); // 40 ms: bucket 32768..65536 µs
    long[] after = histogram.snapshot();
    assertEquals(0.512, WaitHistogram.quantileMillis(before, after, 0.50), 1e-9);
    assertEquals(0.512, WaitHistogram.quantileMillis(before, after, 0.99), 1e-9);
    assertEquals(65.536, WaitHistogram.quantileMillis(before, after, 1.0), 1e-9);
    assertEquals(0.0, WaitHistogram.quantileMillis(after, after, 0.99), 1e-9);
  }

  @Test
  void theRegistryIsBounded() {
    PoolRegistry registry = new PoolRegistry(ds -> "ds");
    List<Object> dataSources = new ArrayList<>();
    for (int i = 0; i < PoolRegistry.MAX_DATA_SOURCES; i++) {
      dataSources.add(new Object());
      registry.metricsFor(new DataSourceKey(dataSources.get(i)));
    }
    PoolMetrics overflow = registry.metricsFor(new DataSourceKey(new Object()));
    assertEquals("other data sources", overflow.name());
    dataSources.clear(); // dropped by the application: their entries make room
    long deadline = System.nanoTime() + 30_000_000_000L;
    Object fresh = new Object();
    PoolMetrics later;
    do {
      System.gc();
      later = registry.metricsFor(new DataSourceKey(fresh));
    } while (later == overflow && System.nanoTime() < deadline);
    java.lang.ref.Reference.reachabilityFence(fresh);
    assertEquals("ds", later.name());
  }
}
