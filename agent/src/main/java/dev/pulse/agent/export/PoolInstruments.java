package dev.pulse.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

/**
 * The pools' gauges and counters as asynchronous instruments: one callback per collection reads
 * every pool once, from the agent's own figures.
 */
final class PoolInstruments {
  static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");

  private PoolInstruments() {
  }

  static void register(Meter meter, ExportSource source) {
    ObservableLongMeasurement count = meter.upDownCounterBuilder(MetricNames.CONNECTION_COUNT)
        .setUnit("{connection}")
        .setDescription("Connections open in the pool, by state (idle or used).")
        .buildObserver();
    ObservableLongMeasurement max = meter.upDownCounterBuilder(MetricNames.CONNECTION_MAX)
        .setUnit("{connection}")
        .setDescription("The maximum number of connections the pool allows now (after any resize).")
        .buildObserver();
    ObservableLongMeasurement idleMin = meter.upDownCounterBuilder(MetricNames.CONNECTION_IDLE_MIN)
        .setUnit("{connection}")
        .setDescription("The minimum number of idle connections the pool keeps.")
        .buildObserver();
    ObservableLongMeasurement pending = meter.upDownCounterBuilder(MetricNames.PENDING_REQUESTS)
        .setUnit("{request}")
        .setDescription("Threads waiting for a connection of the pool.")
        .buildObserver();
    ObservableLongMeasurement timeouts = meter.counterBuilder(MetricNames.TIMEOUTS)
        .setUnit("{timeout}")
        .setDescription("Borrows from the pool that failed (timed out or could not connect).")
        .buildObserver();
    ObservableLongMeasurement failures = meter.counterBuilder(MetricNames.OPERATION_FAILURES)
        .setUnit("{operation}")
        .setDescription("Statements on the pool's connections that threw.")
        .buildObserver();
    meter.batchCallback(() -> {
      for (ExportedPool pool : source.pools()) {
        Attributes attributes = Attributes.of(POOL_NAME, pool.name);
        count.record(pool.idle, Attributes.of(POOL_NAME, pool.name, STATE, "idle"));
        count.record(pool.active, Attributes.of(POOL_NAME, pool.name, STATE, "used"));
        max.record(pool.maximum, attributes);
        idleMin.record(pool.minimumIdle, attributes);
        pending.record(pool.waiting, attributes);
        timeouts.record(pool.failedAcquisitions, attributes);
        failures.record(pool.failedStatements, attributes);
      }
    }, count, max, idleMin, pending, timeouts, failures);
  }
}
