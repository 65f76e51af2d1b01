package dev.pulse.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pull reader of the agent's own meter provider, for Prometheus: at each scrape it collects the
 * same metrics the OTLP push sends and hands them to the Prometheus client's text format writer,
 * named as OpenTelemetry's Prometheus compatibility rules say (dots to underscores, the unit as a
 * suffix, {@code _total} on counters, resource attributes on {@code target_info}).
 */
final class PrometheusScrape implements MetricReader {
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }

  String contentType() {
    return writer.getContentType();
  }

  /** The exposition of everything collected now. */
  byte[] scrape() throws IOException {
    List<MetricSnapshot> snapshots = new ArrayList<>();
    Resource resource = null;
    for (MetricData metric : registration.collectAllMetrics()) {
      resource = metric.getResource();
      MetricSnapshot snapshot = convert(metric);
      if (snapshot != null) {
        snapshots.add(snapshot);
      }
    }
    if (resource != null) {
      snapshots.add(InfoSnapshot.builder().name("target")
          .help("Target metadata: the OpenTelemetry resource of this JVM.")
          .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
              .labels(labels(resource.getAttributes())).build())
          .build());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    writer.write(out, new MetricSnapshots(snapshots), EscapingScheme.UNDERSCORE_ESCAPING);
    return out.toByteArray();
  }

  private static MetricSnapshot convert(MetricData metric) {
    switch (metric.getType()) {
      case LONG_SUM:
        return metric.getLongSumData().isMonotonic()
            ? counter(metric, longValues(metric.getLongSumData().getPoints()))
            : gauge(metric, longValues(metric.getLongSumData().getPoints()));
      case DOUBLE_SUM:
        return metric.getDoubleSumData().isMonotonic()
            ? counter(metric, doubleValues(metric.getDoubleSumData().getPoints()))
            : gauge(metric, doubleValues(metric.getDoubleSumData().getPoints()));
      case LONG_GAUGE:
        return gauge(metric, longValues(metric.getLongGaugeData().getPoints()));
      case DOUBLE_GAUGE:
        return gauge(metric, doubleValues(metric.getDoubleGaugeData().getPoints()));
      case HISTOGRAM:
        return histogram(metric);
      default:
        return null; // the agent makes no other kind
    }
  }

  private static CounterSnapshot counter(MetricData metric, List<Value> values) {
    CounterSnapshot.Builder builder = CounterSnapshot.builder()
        .name(PrometheusNames.metric(metric.getName(), metric.getUnit(), false))
        .help(metric.getDescription());
    for (Value value : values) {
      builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
          .labels(value.labels).value(value.value).build());
    }
    return builder.build();
  }

  private static GaugeSnapshot gauge(MetricData metric, List<Value> values) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder()
        .name(PrometheusNames.metric(metric.getName(), metric.getUnit(), true))
        .help(metric.getDescription());
    for (Value value : values) {
      builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .labels(value.labels).value(value.value).build());
    }
    return builder.build();
  }

  private static HistogramSnapshot histogram(MetricData metric) {
    HistogramSnapshot.Builder builder = HistogramSnapshot.builder()
        .name(PrometheusNames.metric(metric.getName(), metric.getUnit(), false))
        .help(metric.getDescription());
    for (HistogramPointData point : metric.getHistogramData().getPoints()) {
      List<Double> bounds = point.getBoundaries();
      double[] upper = new double[bounds.size() + 1];
      long[] counts = new long[bounds.size() + 1];
      for (int i = 0; i < upper.length; i++) {
        upper[i] = i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY;
        counts[i] = point.getCounts().get(i);
      }
      builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
          .labels(labels(point.getAttributes()))
          .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
          .sum(point.getSum())
          .build());
    }
    return builder.build();
  }

  private static List<Value> longValues(java.util.Collection<LongPointData> points) {
    List<Value> values = new ArrayList<>(points.size());
    for (LongPointData point : points) {
      values.add(new Value(point, point.getValue()));
    }
    return values;
  }

  private static List<Value> doubleValues(java.util.Collection<DoublePointData> points) {
    List<Value> values = new ArrayList<>(points.size());
    for (DoublePointData point : points) {
      values.add(new Value(point, point.getValue()));
    }
    return values;
  }

  private static Labels labels(Attributes attributes) {
    Labels.Builder labels = Labels.builder();
    attributes.forEach((key, value) -> labels.label(PrometheusNames.label(key.getKey()),
        String.valueOf(value)));
    return labels.build();
  }

  /** One point's labels and value. */
  private static final class Value {
    final Labels labels;
    final double value;

    Value(PointData point, double value) {
      this.labels = labels(point.getAttributes());
      this.value = value;
    }
  }
}
