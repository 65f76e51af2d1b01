package dev.pulse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP endpoint for tests (no Collector can be installed here): a JDK HttpServer on
 * 127.0.0.1 that decodes what it is sent with the OpenTelemetry proto classes and keeps it.
 * {@code /v1/traces} keeps the spans another agent beside ours may send.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final List<ResourceMetrics> metrics = new CopyOnWriteArrayList<>();
  private final List<ResourceLogs> logs = new CopyOnWriteArrayList<>();
  private final List<io.opentelemetry.proto.trace.v1.Span> spans = new CopyOnWriteArrayList<>();
  private final int port;
  private volatile HttpServer server;

  private OtlpReceiver(int port) throws IOException {
    this.port = port;
    start();
  }

  public static OtlpReceiver start(int port) throws IOException {
    return new OtlpReceiver(port);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Listens again on the same port after {@link #stop()}. */
  public void start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    http.createContext("/v1/metrics", exchange -> answer(exchange, body -> {
      metrics.addAll(ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList());
      return ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
    }));
    http.createContext("/v1/logs", exchange -> answer(exchange, body -> {
      logs.addAll(ExportLogsServiceRequest.parseFrom(body).getResourceLogsList());
      return ExportLogsServiceResponse.getDefaultInstance().toByteArray();
    }));
    http.createContext("/v1/traces", exchange -> answer(exchange, body -> {
      for (io.opentelemetry.proto.trace.v1.ResourceSpans resource : io.opentelemetry.proto.collector
          .trace.v1.ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList()));
      }
      return new byte[0];
    }));
    http.start();
    server = http;
  }

  /** Stops listening: exports fail with connection refused until {@link #start()}. */
  public void stop() {
    server.stop(0);
  }

  /** Every metrics export received so far. */
  public List<ResourceMetrics> metrics() {
    return metrics;
  }

  /** Every span received so far (from another agent: Pulse sends none). */
  public List<io.opentelemetry.proto.trace.v1.Span> spans() {
    return spans;
  }

  /** Every log record received so far with its resource and scope. */
  public List<Received<LogRecord>> logRecords() {
    List<Received<LogRecord>> records = new ArrayList<>();
    for (ResourceLogs resource : logs) {
      for (ScopeLogs scope : resource.getScopeLogsList()) {
        for (LogRecord record : scope.getLogRecordsList()) {
          records.add(new Received<>(resource.getResource().getAttributesList(),
              scope.getScope().getName(), record));
        }
      }
    }
    return records;
  }

  /** Every metric received so far with its resource and scope. */
  public List<Received<Metric>> allMetrics() {
    List<Received<Metric>> all = new ArrayList<>();
    for (ResourceMetrics resource : metrics) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          all.add(new Received<>(resource.getResource().getAttributesList(),
              scope.getScope().getName(), metric));
        }
      }
    }
    return all;
  }

  /** The metric of that scope and name in the latest export that has one matching {@code filter}. */
  public Received<Metric> latestMetric(String scope, String name, Predicate<Metric> filter) {
    for (int i = metrics.size() - 1; i >= 0; i--) {
      ResourceMetrics resource = metrics.get(i);
      for (ScopeMetrics scopeMetrics : resource.getScopeMetricsList()) {
        if (!scopeMetrics.getScope().getName().equals(scope)) {
          continue;
        }
        for (Metric metric : scopeMetrics.getMetricsList()) {
          if (metric.getName().equals(name) && filter.test(metric)) {
            return new Received<>(resource.getResource().getAttributesList(), scope, metric);
          }
        }
      }
    }
    return null;
  }

  /** Waits for a metric as {@link #latestMetric}; fails naming what arrived. */
  public Received<Metric> awaitMetric(String scope, String name, Predicate<Metric> filter,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Received<Metric> found = latestMetric(scope, name, filter);
      if (found != null) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        Received<Metric> any = latestMetric(scope, name, m -> true);
        throw new AssertionError("no " + scope + " " + name + " as expected within " + timeout
            + "; latest: " + (any == null ? "none (" + metrics.size() + " exports)" : any.item));
      }
      Thread.sleep(100);
    }
  }

  /** Waits for a log record matching {@code filter}. */
  public Received<LogRecord> awaitRecord(Predicate<LogRecord> filter, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Received<LogRecord> record : logRecords()) {
        if (filter.test(record.item)) {
          return record;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log record as expected within " + timeout + "; received: "
            + logRecords().stream().map(r -> r.item.getEventName()).collect(
                java.util.stream.Collectors.toList()));
      }
      Thread.sleep(100);
    }
  }

  /** An attribute's value as text (numbers and booleans too), or null. */
  public static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        AnyValue value = attribute.getValue();
        switch (value.getValueCase()) {
          case STRING_VALUE:
            return value.getStringValue();
          case INT_VALUE:
            return Long.toString(value.getIntValue());
          case DOUBLE_VALUE:
            return Double.toString(value.getDoubleValue());
          case BOOL_VALUE:
            return Boolean.toString(value.getBoolValue());
          default:
            return value.toString();
        }
      }
    }
    return null;
  }

  /** Attributes as a map of text values. */
  public static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (KeyValue attribute : attributes) {
      map.put(attribute.getKey(), attribute(attributes, attribute.getKey()));
    }
    return map;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, Decoder decoder) throws IOException {
    try (exchange) {
      InputStream in = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      byte[] response;
      try {
        response = decoder.decode(in.readAllBytes());
      } catch (IOException malformed) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  @FunctionalInterface
  private interface Decoder {
    byte[] decode(byte[] body) throws IOException;
  }

  /** Something received, with its resource's attributes and its scope's name. */
  public static final class Received<T> {
    public final List<KeyValue> resource;
    public final String scope;
    public final T item;

    Received(List<KeyValue> resource, String scope, T item) {
      this.resource = resource;
      this.scope = scope;
      this.item = item;
    }
  }
}
