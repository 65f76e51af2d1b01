package dev.pulse.agent.it;

import static dev.pulse.testing.OtlpReceiver.attribute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.OtlpReceiver;
import dev.pulse.testing.OtlpReceiver.Received;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * OTLP push end to end: a HikariCP host under the agent exports to a test receiver that decodes
 * every request with the OpenTelemetry proto classes; names, units, attributes and values are
 * checked against what the stream carried.
 */
class OtlpExportIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SCOPE = "dev.pulse";
  private static final Pattern FAILING = Pattern.compile("OTLP metrics export to \\S+ is failing");
  private static final Pattern RECOVERED = Pattern.compile("OTLP metrics export to \\S+ recovered");

  @Test
  void metricsAndEventsMatchTheStream() throws Exception {
    int port = AgentProcess.freePort();
    try (OtlpReceiver receiver = OtlpReceiver.start(AgentProcess.freePort());
        AgentProcess host = AgentProcess.start("port=" + port + ",otlp.endpoint=" + receiver.endpoint()
            + ",otlp.interval=1s,otlp.search.sample=1,pool.interval=1s,autoscale.enabled=false",
            List.of(), AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(),
            TestDatabase.jdbcUrl(), "otlp-pool", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("found HikariCP pool otlp-pool"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        send(commands, "mixed");
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        JsonNode error = client.await(m -> is(m, "error_intercepted"), WAIT).get("data");
        send(commands, "count");
        long executed = Long.parseLong(host.awaitLine(Pattern.compile("^statements \\d+$"), WAIT)
            .substring("statements ".length()));
        JsonNode stats = client.await(m -> is(m, "pool_stats")
            && m.get("data").get("total_queries").asLong() == executed, WAIT).get("data");
        send(commands, "resize 6");
        JsonNode resized = client.await(m -> is(m, "pool_resized"), WAIT).get("data");

        // mixed, on PostgreSQL: its batch of two inserts is one operation, "BATCH INSERT"
        Received<Metric> duration = receiver.awaitMetric(SCOPE, "db.client.operation.duration",
            m -> total(operations(m, "otlp-pool")) == executed - 1, WAIT);
        assertEquals("s", duration.item.getUnit());
        assertEquals(Map.of(
            "postgresql CREATE host_t -", 1L,
            "postgresql SELECT - -", 1L,
            "postgresql INSERT host_t -", 2L,
            "postgresql BATCH INSERT host_t -", 1L,
            "postgresql SELECT no_such_table 42", 1L), operations(duration.item, "otlp-pool"),
            "a failed statement carries the class of its SQLState (42P01: undefined table)");
        for (HistogramDataPoint point : duration.item.getHistogram().getDataPointsList()) {
          assertEquals(List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0),
              point.getExplicitBoundsList(), "the conventions' advised boundaries");
          assertTrue(point.getSum() > 0, point.toString());
        }
        assertEquals("CUMULATIVE", duration.item.getHistogram().getAggregationTemporality().name()
            .replace("AGGREGATION_TEMPORALITY_", ""));
        Metric returned = receiver.awaitMetric(SCOPE, "db.client.response.returned_rows",
            m -> total(operations(m, "otlp-pool")) == 1, WAIT).item;
        assertEquals("{row}", returned.getUnit());
        assertEquals(Map.of("postgresql SELECT - -", 1L), operations(returned, "otlp-pool"));
        assertEquals(1.0, returned.getHistogram().getDataPoints(0).getSum(), "select 1: one row");
        // mixed borrowed once and gave the connection back
        Metric used = receiver.awaitMetric(SCOPE, "db.client.connection.use_time",
            m -> histogram(m, "otlp-pool").getCount() == 1, WAIT).item;
        assertEquals("s", used.getUnit());
        assertTrue(histogram(used, "otlp-pool").getSum() > 0);
        assertEquals(1, histogram(receiver.latestMetric(SCOPE, "db.client.connection.wait_time",
            m -> true).item, "otlp-pool").getCount(), "as many borrows as returns");
        Map<String, String> resource = OtlpReceiver.attributes(duration.resource);
        assertEquals(PoolLoadHost.class.getName(), resource.get("service.name"), resource.toString());
        assertEquals(Long.toString(host.pid()), resource.get("process.pid"), resource.toString());
        assertFalse(resource.getOrDefault("service.instance.id", "").isEmpty(), resource.toString());
        assertFalse(resource.getOrDefault("host.name", "").isEmpty(), resource.toString());

        Received<Metric> max = receiver.awaitMetric(SCOPE, "db.client.connection.max",
            m -> gauge(m, "otlp-pool", null) == resized.get("new_size").asLong(), WAIT);
        assertEquals("{connection}", max.item.getUnit());
        assertEquals(stats.get("maximum_pool_size").asInt(), resized.get("old_size").asInt());
        assertEquals(stats.get("minimum_idle").asLong(), gauge(receiver.awaitMetric(SCOPE,
            "db.client.connection.idle.min", m -> true, WAIT).item, "otlp-pool", null));
        assertEquals(stats.get("failed_queries").asLong(), gauge(receiver.awaitMetric(SCOPE,
            "pulse.db.client.operation.failures", m -> true, WAIT).item, "otlp-pool", null));
        Metric timeouts = receiver.awaitMetric(SCOPE, "db.client.connection.timeouts", m -> true, WAIT).item;
        assertTrue(timeouts.getSum().getIsMonotonic());
        assertEquals(stats.get("failed_acquisitions").asLong(), gauge(timeouts, "otlp-pool", null));
        JsonNode settled = client.await(m -> is(m, "pool_stats")
            && m.get("data").get("active_connections").asInt() == 0, WAIT).get("data");
        Metric count = receiver.awaitMetric(SCOPE, "db.client.connection.count",
            m -> gauge(m, "otlp-pool", "used") == 0
                && gauge(m, "otlp-pool", "idle") == settled.get("pool_size").asLong(), WAIT).item;
        assertFalse(count.getSum().getIsMonotonic(), "an up-down counter");
        Received<Metric> errors = receiver.awaitMetric(SCOPE, "pulse.firewall.errors",
            m -> m.getSum().getDataPointsCount() > 0, WAIT);
        NumberDataPoint errorPoint = errors.item.getSum().getDataPoints(0);
        assertEquals(error.get("error_type").asText(), attribute(errorPoint.getAttributesList(), "error.type"));
        assertEquals(error.get("count").asLong(), errorPoint.getAsInt());

        Received<LogRecord> resize = receiver.awaitRecord(
            r -> r.getEventName().equals("pulse.pool.resized"), WAIT);
        assertEquals(SCOPE, resize.scope);
        assertFieldsCarried(resized, resize.item.getAttributesList());
        assertEquals(resized.get("reason").asText(), resize.item.getBody().getStringValue());
        assertEquals(PoolLoadHost.class.getName(), attribute(resize.resource, "service.name"));
        Received<LogRecord> failure = receiver.awaitRecord(
            r -> r.getEventName().equals("pulse.error.intercepted"), WAIT);
        assertFieldsCarried(error, failure.item.getAttributesList());
        assertEquals("WARN", failure.item.getSeverityNumber().name().replace("SEVERITY_NUMBER_", ""));
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void vectorSearchesPerCollectionMatchTheStream() throws Exception {
    int port = AgentProcess.freePort();
    try (OtlpReceiver receiver = OtlpReceiver.start(AgentProcess.freePort());
        AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false,otlp.endpoint="
            + receiver.endpoint() + ",otlp.interval=1s,otlp.search.sample=1,autoscale.enabled=false",
            List.of(), AgentProcess.poolHostClasspath("pgvector"),
            dev.pulse.agent.hosts.VectorHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"vector_search\"]}");
      client.awaitType("subscribed", WAIT);
      send(commands, "setup");
      host.awaitLine(Pattern.compile("^setup done$"), WAIT);
      send(commands, "set hnsw.ef_search 100");
      host.awaitLine(Pattern.compile("^set done$"), WAIT);
      List<JsonNode> searches = new ArrayList<>();
      for (int k : new int[] {3, 7, 12}) {
        send(commands, "prepared <-> " + k);
        searches.add(client.await(m -> is(m, "search_completed"), WAIT).get("data"));
      }
      String collection = searches.get(0).get("collection").asText();
      double seconds = searches.stream().mapToDouble(d -> d.get("search_time_ms").asDouble() / 1000).sum();
      long rows = searches.stream().mapToLong(d -> d.get("results_count").asLong()).sum();

      Metric duration = receiver.awaitMetric(SCOPE, "pulse.vector.search.duration",
          m -> collectionPoint(m, collection).getCount() == searches.size(), WAIT).item;
      assertEquals("s", duration.getUnit());
      HistogramDataPoint point = collectionPoint(duration, collection);
      assertEquals(seconds, point.getSum(), 1e-5 * searches.size(), point.toString());
      assertEquals("l2", attribute(point.getAttributesList(), "pulse.vector.distance"));
      Metric returned = receiver.awaitMetric(SCOPE, "pulse.vector.search.rows",
          m -> collectionPoint(m, collection).getCount() == searches.size(), WAIT).item;
      assertEquals(rows, (long) collectionPoint(returned, collection).getSum());
      Metric efSearch = receiver.awaitMetric(SCOPE, "pulse.vector.ef_search", m -> true, WAIT).item;
      assertEquals(searches.get(2).get("ef_search").asLong(),
          efSearch.getGauge().getDataPoints(0).getAsInt());
      assertEquals(collection, attribute(efSearch.getGauge().getDataPoints(0).getAttributesList(),
          "db.collection.name"));
      for (JsonNode search : searches) {
        Received<LogRecord> record = receiver.awaitRecord(r -> r.getEventName()
            .equals("pulse.vector.search.completed") && search.get("query_id").asText()
            .equals(attribute(r.getAttributesList(), "query_id")), WAIT);
        assertFieldsCarried(search, record.item.getAttributesList());
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static HistogramDataPoint collectionPoint(Metric metric, String collection) {
    for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
      if (collection.equals(attribute(point.getAttributesList(), "db.collection.name"))) {
        return point;
      }
    }
    return HistogramDataPoint.getDefaultInstance();
  }

  @Test
  void anUnreachableCollectorIsToldOnceAndItsReturnOnce() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(AgentProcess.freePort());
        AgentProcess host = AgentProcess.start("port=0,dashboard.enabled=false,otlp.endpoint="
            + receiver.endpoint() + ",otlp.interval=1s,autoscale.enabled=false", List.of(),
            AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(),
            "outage-pool", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("found HikariCP pool outage-pool"), WAIT);
      receiver.awaitMetric(SCOPE, "db.client.connection.max", m -> true, WAIT);
      receiver.stop();
      host.awaitLine(FAILING, WAIT);
      // the host goes on as before while exports fail, and the agent stays quiet
      for (int i = 0; i < 3; i++) {
        send(commands, "mixed");
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        host.stdout().removeIf(line -> line.equals("mixed done"));
      }
      int before = receiver.metrics().size();
      receiver.start();
      host.awaitLine(RECOVERED, WAIT);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (receiver.metrics().size() < before + 3 && System.nanoTime() < deadline) {
        Thread.sleep(100); // a few exports after the return, each a chance to log again
      }
      assertTrue(receiver.metrics().size() >= before + 3, "exports resumed: " + receiver.metrics().size());
      assertEquals(1, host.count(FAILING), host.output());
      assertEquals(1, host.count(RECOVERED), host.output());
      // nothing else: no stack trace, no line of the SDK's own logging
      assertEquals(0, host.count(Pattern.compile("^\\s+at |SEVERE|WARNING")), host.output());
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void besideTheOpenTelemetryAgentBothExportAndNeitherDisturbsTheOther() throws Exception {
    int port = AgentProcess.freePort();
    try (OtlpReceiver receiver = OtlpReceiver.start(AgentProcess.freePort());
        AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false,otlp.endpoint="
            + receiver.endpoint() + ",otlp.interval=1s,pool.interval=1s,autoscale.enabled=false",
            List.of("-javaagent:" + AgentProcess.compatLib("opentelemetry-javaagent"),
                "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.metric.export.interval=1000",
                "-Dotel.service.name=otel-side", "-Dotel.semconv-stability.opt-in=database"),
            AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(),
            "both-pool", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      // two agents starting on a busy machine: the other one retransforms every class loaded so far
      host.awaitLine(Pattern.compile("found HikariCP pool both-pool"), WAIT.multipliedBy(4));
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        send(commands, "mixed");
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        send(commands, "count");
        long executed = Long.parseLong(host.awaitLine(Pattern.compile("^statements \\d+$"), WAIT)
            .substring("statements ".length()));
        client.await(m -> is(m, "pool_stats")
            && m.get("data").get("total_queries").asLong() == executed, WAIT);
        Received<Metric> ours = receiver.awaitMetric(SCOPE, "db.client.operation.duration",
            m -> total(operations(m, "both-pool")) == executed - 1, WAIT); // a batch is one
        assertEquals(PoolLoadHost.class.getName(), attribute(ours.resource, "service.name"));

        // the other agent's own HikariCP metric, same name, its own scope and resource
        long deadline = System.nanoTime() + WAIT.toNanos();
        Received<Metric> theirs = null;
        while (theirs == null && System.nanoTime() < deadline) {
          theirs = receiver.allMetrics().stream()
              .filter(r -> r.scope.startsWith("io.opentelemetry.hikaricp")
                  && r.item.getName().equals("db.client.connection.max")
                  && gauge(r.item, "both-pool", null) == 4)
              .reduce((first, second) -> second).orElse(null);
          Thread.sleep(100);
        }
        assertNotNull(theirs, "the OpenTelemetry agent's hikaricp metrics: " + receiver.allMetrics().stream()
            .map(r -> r.scope + " " + r.item.getName()).distinct().collect(java.util.stream.Collectors.toList()));
        assertEquals("otel-side", attribute(theirs.resource, "service.name"));
        assertEquals(4, gauge(receiver.latestMetric(SCOPE, "db.client.connection.max", m -> true).item,
            "both-pool", null));
        for (Received<Metric> metric : receiver.allMetrics()) {
          boolean pulseResource = PoolLoadHost.class.getName().equals(attribute(metric.resource, "service.name"));
          assertEquals(pulseResource, metric.scope.equals(SCOPE),
              "each SDK exports only its own instruments: " + metric.scope + " " + metric.item.getName());
        }
        // the other agent traces the application's statements, and not Pulse's pushes
        deadline = System.nanoTime() + WAIT.toNanos();
        while (receiver.spans().stream().noneMatch(OtlpExportIT::isStatementSpan)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertTrue(receiver.spans().stream().anyMatch(OtlpExportIT::isStatementSpan),
            receiver.spans().size() + " spans, none of a statement");
        assertEquals(List.of(), receiver.spans().stream()
            .filter(span -> String.valueOf(attribute(span.getAttributesList(), "url.full"))
                .startsWith(receiver.endpoint()))
            .map(span -> span.getName() + " " + attribute(span.getAttributesList(), "url.full"))
            .collect(java.util.stream.Collectors.toList()), "spans of Pulse's own exports");
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static boolean isStatementSpan(io.opentelemetry.proto.trace.v1.Span span) {
    return span.getAttributesList().stream().anyMatch(a -> a.getKey().startsWith("db."));
  }

  /** Every scalar field of the stream's event is an attribute of the record, with the same value. */
  static void assertFieldsCarried(JsonNode data, List<KeyValue> attributes) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = data.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isNull() || value.isContainerNode()) {
        continue;
      }
      String carried = attribute(attributes, field.getKey());
      assertNotNull(carried, "attribute " + field.getKey() + " missing from " + attributes);
      if (value.isNumber()) {
        assertEquals(value.asDouble(), Double.parseDouble(carried), 1e-9, field.getKey());
      } else {
        assertEquals(value.asText(), carried, field.getKey());
      }
    }
  }

  /**
   * The pool's histogram points as "system operation collection error.type" (a dash for an
   * absent attribute) to their counts.
   */
  static Map<String, Long> operations(Metric metric, String pool) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
      List<KeyValue> attributes = point.getAttributesList();
      if (pool.equals(attribute(attributes, "db.client.connection.pool.name"))) {
        counts.put(orDash(attribute(attributes, "db.system.name")) + " "
            + orDash(attribute(attributes, "db.operation.name")) + " "
            + orDash(attribute(attributes, "db.collection.name")) + " "
            + orDash(attribute(attributes, "error.type")), point.getCount());
      }
    }
    return counts;
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  static HistogramDataPoint histogram(Metric metric, String pool) {
    for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
      if (pool.equals(attribute(point.getAttributesList(), "db.client.connection.pool.name"))) {
        return point;
      }
    }
    return HistogramDataPoint.getDefaultInstance();
  }

  /** The value of the pool's point (of that state, when given) of a sum or gauge; -1 when absent. */
  static long gauge(Metric metric, String pool, String state) {
    List<NumberDataPoint> points = new ArrayList<>(metric.getSum().getDataPointsList());
    points.addAll(metric.getGauge().getDataPointsList());
    for (NumberDataPoint point : points) {
      if (pool.equals(attribute(point.getAttributesList(), "db.client.connection.pool.name"))
          && (state == null || state.equals(attribute(point.getAttributesList(), "db.client.connection.state")))) {
        return point.getAsInt();
      }
    }
    return -1;
  }

  private static boolean is(JsonNode message, String type) {
    return type.equals(message.path("type").asText());
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
