package dev.pulse.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
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
 * The histograms, made at collection from what the agent already counts (cumulative since
 * start): borrow waits and connection use per pool from the pools' power-of-two buckets, and
 * statements per operation, collection and error type from the query table, in the buckets the
 * conventions advise. The SDK has no asynchronous histogram; a producer adds nothing to the
 * application's threads.
 *
 * <p>With the query table off the agent keeps only each pool's count and total time of
 * statements: {@code db.client.operation.duration} is then one unbounded bucket per pool (rate
 * and mean exact, no quantiles) and returned rows are not known.
 */
final class PoolHistograms implements MetricProducer {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  /** What the SDK marks the points past its cardinality limit with; the same here. */
  static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

  private final ExportSource source;
  private final InstrumentationScopeInfo scope;
  private final long startEpochNanos;
  private final List<Double> waitBounds;
  private final List<Double> durationBounds;
  private final List<Double> rowBounds;

  PoolHistograms(ExportSource source, InstrumentationScopeInfo scope, long startEpochNanos) {
    this.source = source;
    this.scope = scope;
    this.startEpochNanos = startEpochNanos;
    this.waitBounds = list(source.waitBucketBounds());
    this.durationBounds = list(source.durationBounds());
    this.rowBounds = list(source.rowBounds());
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<ExportedPool> pools = source.pools();
    List<OperationSnapshot> grouped = source.operations();
    long now = System.currentTimeMillis() * 1_000_000L;
    List<HistogramPointData> waits = new ArrayList<>();
    List<HistogramPointData> uses = new ArrayList<>();
    List<HistogramPointData> operations = new ArrayList<>();
    List<HistogramPointData> rows = new ArrayList<>();
    for (ExportedPool pool : pools) {
      Attributes attributes = Attributes.of(PoolInstruments.POOL_NAME, pool.name);
      point(waits, now, attributes, waitBounds, pool.waitCounts, pool.waitNanos / 1e9);
      point(uses, now, attributes, waitBounds, pool.useCounts, pool.useNanos / 1e9);
      if (grouped == null) {
        operations.add(HistogramPointData.create(startEpochNanos, now, attributes,
            pool.statementNanos / 1e9, false, 0, false, 0, List.of(), List.of(pool.statements)));
      }
    }
    for (OperationSnapshot operation : grouped == null ? List.<OperationSnapshot>of() : grouped) {
      Attributes attributes = attributes(operation);
      point(operations, now, attributes, durationBounds, operation.durationCounts,
          operation.durationNanos / 1e9);
      if (operation.rowCounts != null) {
        point(rows, now, attributes, rowBounds, operation.rowCounts, operation.rows);
      }
    }
    List<MetricData> metrics = new ArrayList<>();
    add(metrics, resource, MetricNames.WAIT_TIME, "s",
        "Time threads waited to borrow a connection from the pool.", waits);
    add(metrics, resource, MetricNames.USE_TIME, "s",
        "Time connections were held, from borrow to close, by the application.", uses);
    add(metrics, resource, MetricNames.OPERATION_DURATION, "s",
        "Time of the statements run on the pool's connections.", operations);
    add(metrics, resource, MetricNames.RETURNED_ROWS, "{row}",
        "Rows the statements' results held, where the driver tells (pgjdbc).", rows);
    return metrics;
  }

  private static Attributes attributes(OperationSnapshot operation) {
    AttributesBuilder builder = Attributes.builder().put(SYSTEM, operation.system);
    if (operation.pool != null) {
      builder.put(PoolInstruments.POOL_NAME, operation.pool);
    }
    if (operation.operation != null) {
      builder.put(OPERATION, operation.operation);
    }
    if (operation.collection != null) {
      builder.put(EventInstruments.COLLECTION, operation.collection);
    }
    if (operation.errorType != null) {
      builder.put(EventInstruments.ERROR_TYPE, operation.errorType);
    }
    if (operation.overflow) {
      builder.put(OVERFLOW, true);
    }
    return builder.build();
  }

  private void point(List<HistogramPointData> points, long now, Attributes attributes,
      List<Double> bounds, long[] bucketCounts, double sum) {
    if (bucketCounts.length != bounds.size() + 1) {
      return;
    }
    List<Long> counts = new ArrayList<>(bucketCounts.length);
    long total = 0;
    for (long count : bucketCounts) {
      counts.add(count);
      total += count;
    }
    points.add(HistogramPointData.create(startEpochNanos, now, attributes,
        total == 0 ? 0 : sum, false, 0, false, 0, bounds, counts));
  }

  private void add(List<MetricData> metrics, Resource resource, String name, String unit,
      String description, List<HistogramPointData> points) {
    if (!points.isEmpty()) {
      metrics.add(new ProducedMetric(resource, scope, name, description, unit,
          MetricDataType.HISTOGRAM, HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
    }
  }

  private static List<Double> list(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double value : values) {
      list.add(value);
    }
    return List.copyOf(list);
  }
}
