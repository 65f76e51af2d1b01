package dev.pulse.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The pools' histograms, made at collection from what the agent already counts: borrow waits from
 * its wait buckets (cumulative since start), statement time from its totals. The SDK has no
 * asynchronous histogram; a producer adds nothing to the application's threads.
 *
 * <p>Statement time has no buckets in the agent (only a count and a sum), so it is exported as a
 * histogram of one unbounded bucket: rate and mean are exact, quantiles are not available.
 */
final class PoolHistograms implements MetricProducer {
  private final ExportSource source;
  private final InstrumentationScopeInfo scope;
  private final long startEpochNanos;
  private final List<Double> waitBounds;

  PoolHistograms(ExportSource source, InstrumentationScopeInfo scope, long startEpochNanos) {
    this.source = source;
    this.scope = scope;
    this.startEpochNanos = startEpochNanos;
    List<Double> bounds = new ArrayList<>();
    for (double bound : source.waitBucketBounds()) {
      bounds.add(bound);
    }
    this.waitBounds = List.copyOf(bounds);
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<ExportedPool> pools = source.pools();
    if (pools.isEmpty()) {
      return List.of();
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<HistogramPointData> waits = new ArrayList<>();
    List<HistogramPointData> operations = new ArrayList<>();
    for (ExportedPool pool : pools) {
      Attributes attributes = Attributes.of(PoolInstruments.POOL_NAME, pool.name);
      List<Long> counts = new ArrayList<>(pool.waitCounts.length);
      long borrows = 0;
      for (long count : pool.waitCounts) {
        counts.add(count);
        borrows += count;
      }
      if (counts.size() == waitBounds.size() + 1) {
        waits.add(HistogramPointData.create(startEpochNanos, now, attributes,
            borrows == 0 ? 0 : pool.waitNanos / 1e9, false, 0, false, 0, waitBounds, counts));
      }
      operations.add(HistogramPointData.create(startEpochNanos, now, attributes,
          pool.statementNanos / 1e9, false, 0, false, 0, List.of(), List.of(pool.statements)));
    }
    return List.of(
        histogram(resource, MetricNames.WAIT_TIME,
            "Time threads waited to borrow a connection from the pool.", waits),
        histogram(resource, MetricNames.OPERATION_DURATION,
            "Time of the statements run on the pool's connections.", operations));
  }

  private MetricData histogram(Resource resource, String name, String description,
      List<HistogramPointData> points) {
    return new ProducedMetric(resource, scope, name, description, "s", MetricDataType.HISTOGRAM,
        HistogramData.create(AggregationTemporality.CUMULATIVE, points));
  }
}
