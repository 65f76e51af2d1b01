package dev.pulse.agent.export;

import java.util.Map;

/**
 * OpenTelemetry names in Prometheus, per OpenTelemetry's Prometheus compatibility rules: characters
 * Prometheus does not allow become {@code _}, the unit becomes a suffix ({@code s} to
 * {@code _seconds}, {@code 1} to {@code _ratio} on gauges, annotations such as
 * {@code {connection}} dropped). Counters get {@code _total} from the text format writer.
 */
final class PrometheusNames {
  private static final Map<String, String> UNITS = Map.of("s", "seconds", "ms", "milliseconds",
      "By", "bytes", "%", "percent");

  private PrometheusNames() {
  }

  /** The family name of an exported metric (without {@code _total}, {@code _bucket}, ...). */
  static String metric(String name, String unit, boolean gauge) {
    String base = sanitize(name);
    String suffix = unitSuffix(unit, gauge);
    return suffix.isEmpty() || base.endsWith("_" + suffix) ? base : base + "_" + suffix;
  }

  static String label(String key) {
    return sanitize(key);
  }

  private static String unitSuffix(String unit, boolean gauge) {
    if (unit == null || unit.isEmpty() || unit.startsWith("{")) {
      return "";
    }
    if (unit.equals("1")) {
      return gauge ? "ratio" : "";
    }
    String known = UNITS.get(unit);
    return known != null ? known : sanitize(unit);
  }

  private static String sanitize(String name) {
    String replaced = name.replaceAll("[^a-zA-Z0-9_:]", "_").replaceAll("_{2,}", "_");
    return Character.isDigit(replaced.charAt(0)) ? "_" + replaced : replaced;
  }
}
