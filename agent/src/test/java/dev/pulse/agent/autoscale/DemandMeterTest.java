package dev.pulse.agent.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.jdbc.JdbcTotals;
import dev.pulse.agent.jdbc.PoolAccounting;
import dev.pulse.agent.jdbc.PoolMetrics;
import dev.pulse.agent.jdbc.PoolRegistry;
import org.junit.jupiter.api.Test;

/** Little's law on a pool's totals, with the time given by the test. */
class DemandMeterTest {
  private static final long MS = 1_000_000L;
  private final PoolRegistry registry = new PoolRegistry(ds -> "p");
  private final PoolAccounting accounting = new PoolAccounting(registry, new JdbcTotals(registry));
  private final DataSourceKey source = new DataSourceKey(new Object());
  private final PoolMetrics metrics = registry.metricsFor(source);

  @Test
  void waitTimeOverElapsedTimeIsTheMeanQueue() {
    long start = 5_000 * MS;
    DemandMeter meter = new DemandMeter(metrics, start);
    // over one second: 30 borrows waited 100 ms each (3 threads queued on average)
    for (int i = 0; i < 30; i++) {
      accounting.connectionAcquired(source, 100 * MS, start + i * 30 * MS, null);
    }
    meter.read(metrics, start + 1000 * MS);
    assertEquals(3.0, meter.meanWaiting(), 1e-9);
    assertEquals(0.0, meter.meanRunning(), 1e-9);

    // a reading 50 ms later is too short to say anything: the previous means stay
    accounting.connectionAcquired(source, 40 * MS, start + 1040 * MS, null);
    meter.read(metrics, start + 1050 * MS);
    assertEquals(3.0, meter.meanWaiting(), 1e-9);
    // and that wait counts in the next span: 40 ms over 500 ms
    meter.read(metrics, start + 1500 * MS);
    assertEquals(0.08, meter.meanWaiting(), 1e-9);
  }
}
