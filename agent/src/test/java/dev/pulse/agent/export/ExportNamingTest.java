package dev.pulse.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where OTLP goes, what the service is called, and how names read in Prometheus. */
class ExportNamingTest {

  @Test
  void pulseEndpointWinsAndSignalsAreAppended() {
    OtlpTarget target = OtlpTarget.resolve("http://collector:4318/",
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://other:4318/custom"));
    assertEquals("http://collector:4318/v1/metrics", target.metricsUrl);
    assertEquals("http://collector:4318/v1/logs", target.logsUrl);
  }

  @Test
  void standardVariablesTurnItOnPerSignalEndpointsAsTheyAre() {
    assertNull(OtlpTarget.resolve(null, Map.of("OTEL_SERVICE_NAME", "orders")));
    OtlpTarget target = OtlpTarget.resolve(null, Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://logs:4318/custom/logs",
        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%2Cb%3Dc, tenant = acme"));
    assertEquals("https://collector:4318/v1/metrics", target.metricsUrl);
    assertEquals("https://logs:4318/custom/logs", target.logsUrl);
    assertEquals(Map.of("api-key", "a,b=c", "tenant", "acme"), target.headers);
    OtlpTarget metricsOnly = OtlpTarget.resolve(null,
        Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:4318/v1/metrics"));
    assertEquals("http://m:4318/v1/metrics", metricsOnly.metricsUrl);
    assertEquals("http://localhost:4318/v1/logs", metricsOnly.logsUrl, "the SDKs' default");
    assertEquals("https://collector:4318/v1/metrics",
        OtlpTarget.shown("https://user:s3cret@collector:4318/v1/metrics"), "no password in a log line");
  }

  @Test
  void serviceNameIsTheJarOrTheMainClassUnlessTheVariablesSay() {
    assertEquals("orders-service", ServiceResource.applicationName("/srv/app/orders-service.jar --port 80"));
    assertEquals("com.example.Main", ServiceResource.applicationName("com.example.Main arg"));
    assertEquals("unknown_service:java", ServiceResource.applicationName(null));
    assertEquals("billing", ServiceResource.of(Map.of("OTEL_SERVICE_NAME", "billing",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,deployment.environment.name=prod"),
        "x.jar").getAttribute(ServiceResource.SERVICE_NAME));
    assertEquals("prod", ServiceResource.of(Map.of(
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,deployment.environment.name=prod"),
        "x.jar").getAttributes().asMap().entrySet().stream()
        .filter(e -> e.getKey().getKey().equals("deployment.environment.name"))
        .map(e -> e.getValue().toString()).findFirst().orElse(null));
    assertEquals("from-attributes", ServiceResource.of(Map.of(
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes"), "x.jar")
        .getAttribute(ServiceResource.SERVICE_NAME));
  }

  @Test
  void prometheusNamesFollowOpenTelemetrysCompatibilityRules() {
    assertEquals("db_client_connection_wait_time_seconds",
        PrometheusNames.metric("db.client.connection.wait_time", "s", false));
    assertEquals("db_client_connection_count",
        PrometheusNames.metric("db.client.connection.count", "{connection}", true));
    assertEquals("pulse_vector_recall_ratio", PrometheusNames.metric("pulse.vector.recall", "1", true));
    assertEquals("pulse_pool_resizes", PrometheusNames.metric("pulse.pool.resizes", "{resize}", false));
    assertEquals("db_client_connection_pool_name", PrometheusNames.label("db.client.connection.pool.name"));
  }
}
