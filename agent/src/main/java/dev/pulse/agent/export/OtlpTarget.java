package dev.pulse.agent.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where OTLP goes, from Pulse's {@code otlp.endpoint} or the standard variables, as the
 * OpenTelemetry SDKs read them: a base endpoint gets {@code /v1/metrics} and {@code /v1/logs}
 * appended, a per-signal endpoint is used as it is. Pulse's own setting wins over the variables.
 */
final class OtlpTarget {
  final String metricsUrl;
  final String logsUrl;
  final Map<String, String> headers;

  private OtlpTarget(String metricsUrl, String logsUrl, Map<String, String> headers) {
    this.metricsUrl = metricsUrl;
    this.logsUrl = logsUrl;
    this.headers = headers;
  }

  /** The target, or null when nothing turns OTLP on. */
  static OtlpTarget resolve(String pulseEndpoint, Map<String, String> environment) {
    String base = pulseEndpoint != null ? pulseEndpoint : nonEmpty(environment, "OTEL_EXPORTER_OTLP_ENDPOINT");
    String metrics = pulseEndpoint == null ? nonEmpty(environment, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") : null;
    String logs = pulseEndpoint == null ? nonEmpty(environment, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT") : null;
    if (base == null && metrics == null && logs == null) {
      return null;
    }
    String fallback = base != null ? base : "http://localhost:4318";
    return new OtlpTarget(metrics != null ? metrics : signal(fallback, "metrics"),
        logs != null ? logs : signal(fallback, "logs"),
        keyValues(nonEmpty(environment, "OTEL_EXPORTER_OTLP_HEADERS")));
  }

  /** A URL as it may be logged: without user information (a password could be in it). */
  static String shown(String url) {
    return url.replaceFirst("^(\\w+://)[^/@]*@", "$1");
  }

  private static String signal(String base, String signal) {
    return (base.endsWith("/") ? base : base + "/") + "v1/" + signal;
  }

  /** {@code key1=value1,key2=value2}, values URL-encoded: the format of the OTEL_ variables. */
  static Map<String, String> keyValues(String list) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (list == null) {
      return pairs;
    }
    for (String pair : list.split(",")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        pairs.put(decode(pair.substring(0, equals).trim()), decode(pair.substring(equals + 1).trim()));
      }
    }
    return pairs;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  private static String nonEmpty(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }
}
