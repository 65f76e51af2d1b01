package dev.pulse.agent.export;

import dev.pulse.broadcaster.Event;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The agent's events as OTLP log records with an event name ({@code pulse.pool.resized}, ...): the
 * event's fields become attributes under their stream names, nested objects flattened with dots.
 * Vector searches are sampled; every other exported event is sent.
 */
final class EventLogs {
  private final Logger logger;
  private final double searchSample;
  private final DoubleSupplier random;

  EventLogs(Logger logger, double searchSample, DoubleSupplier random) {
    this.logger = logger;
    this.searchSample = searchSample;
    this.random = random;
  }

  /** The event name of an exported event type, or null for types not exported as records. */
  static String eventName(String type) {
    switch (type) {
      case "pool_resized":
        return "pulse.pool.resized";
      case "error_intercepted":
        return "pulse.error.intercepted";
      case "alert":
        return "pulse.alert";
      case "search_completed":
        return "pulse.vector.search.completed";
      default:
        return null;
    }
  }

  void emit(Event event) {
    String name = eventName(event.type());
    if (name == null || (event.type().equals("search_completed")
        && !(searchSample > 0 && random.getAsDouble() < searchSample))) {
      return;
    }
    Map<String, ?> data = event.data();
    LogRecordBuilder record = logger.logRecordBuilder()
        .setEventName(name)
        .setTimestamp(event.timestampMillis(), TimeUnit.MILLISECONDS)
        .setSeverity(severity(event.type(), data));
    Object body = data.get(event.type().equals("pool_resized") ? "reason" : "message");
    if (body != null) {
      record.setBody(body.toString());
    }
    addAttributes(record, "", data);
    record.emit();
  }

  private static Severity severity(String type, Map<String, ?> data) {
    if (type.equals("error_intercepted")) {
      return Severity.WARN;
    }
    if (type.equals("alert")) {
      Object severity = data.get("severity");
      return "critical".equals(severity) ? Severity.ERROR
          : "warning".equals(severity) ? Severity.WARN : Severity.INFO;
    }
    return Severity.INFO;
  }

  private static void addAttributes(LogRecordBuilder record, String prefix, Map<String, ?> data) {
    for (Map.Entry<String, ?> field : data.entrySet()) {
      String key = prefix + field.getKey();
      Object value = field.getValue();
      if (value instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) value;
        addAttributes(record, key + ".", nested);
      } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
        record.setAttribute(key, ((Number) value).longValue());
      } else if (value instanceof Number) {
        record.setAttribute(key, ((Number) value).doubleValue());
      } else if (value instanceof Boolean) {
        record.setAttribute(key, (boolean) (Boolean) value);
      } else if (value != null) {
        record.setAttribute(key, value.toString());
      }
    }
  }
}
