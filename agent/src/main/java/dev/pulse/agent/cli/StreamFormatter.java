package dev.pulse.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.log.PrintableText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One readable line per message: local time, channel, type and the fields that matter most. Text
 * from the stream may carry anything the database said (a table name, a driver message): control
 * characters are escaped, so nothing printed can drive the terminal.
 */
final class StreamFormatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  private StreamFormatter() {
  }

  static String line(JsonNode message) {
    JsonNode d = message.path("data");
    String type = message.path("type").asText();
    String when = message.hasNonNull("timestamp")
        ? TIME.format(Instant.parse(message.get("timestamp").asText())) : "--:--:--.---";
    return PrintableText.escape(String.format(Locale.ROOT, "%s  %-14s %-18s %s", when,
        message.path("channel").asText(), type, details(type, d)));
  }

  private static String details(String type, JsonNode d) {
    switch (type) {
      case "pool_stats":
        return d.path("pool_name").asText() + "  size " + d.path("pool_size").asText() + "/"
            + d.path("maximum_pool_size").asText() + "  active " + d.path("active_connections").asText()
            + "  idle " + d.path("idle_connections").asText() + "  waiting "
            + d.path("threads_awaiting").asText() + "  util " + d.path("utilization").asText() + "%"
            + "  qps " + d.path("qps").asText() + "  avg " + d.path("avg_query_time").asText() + " ms";
      case "pool_resized":
        return d.path("pool_name").asText() + "  " + d.path("old_size").asText() + " -> "
            + d.path("new_size").asText() + "  " + d.path("reason").asText();
      case "search_completed":
        return d.path("collection").asText() + "  k=" + d.path("top_k").asText() + "  "
            + d.path("search_time_ms").asText() + " ms  rows " + d.path("results_count").asText()
            + "  " + d.path("distance").asText() + "  ef_search " + d.path("ef_search").asText()
            + "  probes " + d.path("probes").asText() + "  recall "
            + (d.path("recall_estimated").isNull() ? "measuring" : d.path("recall_estimated").asText()
                + " (" + d.path("recall_samples").asText() + " samples)")
            + (d.path("sample_weight").asLong(1) > 1
                ? "  stands for " + d.path("sample_weight").asText() + " searches" : "");
      case "vector_stats":
        return d.path("collection").asText() + "  searches " + d.path("searches").asText()
            + " (total " + d.path("searches_total").asText() + ")  p50 "
            + d.path("search_time_p50_ms").asText() + " ms  p99 "
            + d.path("search_time_p99_ms").asText() + " ms  rows " + d.path("rows_mean").asText()
            + "  fewer than k " + d.path("short_results").asText() + "  recall "
            + (d.path("recall_estimated").isNull() ? "measuring" : d.path("recall_estimated").asText()
                + " (" + d.path("recall_samples").asText() + " samples)");
      case "error_intercepted":
        return d.path("error_type").asText() + "  " + d.path("error_scene").asText() + "  "
            + d.path("status").asText() + " x" + d.path("count").asText() + "  "
            + d.path("message").asText() + "  => " + d.path("solution").asText();
      case "system_stats":
        return "statements " + d.path("total_requests").asText() + " (failed "
            + d.path("failed_requests").asText() + ")  avg " + d.path("avg_response_time").asText()
            + " ms  connections " + d.path("active_connections").asText() + "  heap "
            + d.path("memory_usage").asText() + " MB  cpu " + d.path("cpu_usage").asText()
            + "%  up " + d.path("uptime").asText() + " s";
      case "alert":
        return d.path("state").asText().toUpperCase(Locale.ROOT) + "  "
            + d.path("severity").asText() + "  " + d.path("alert_id").asText() + "  "
            + d.path("value").asText() + " (threshold " + d.path("threshold").asText() + ")  "
            + d.path("message").asText();
      default:
        return d.toString();
    }
  }
}
