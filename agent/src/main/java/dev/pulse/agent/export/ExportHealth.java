package dev.pulse.agent.export;

import dev.pulse.log.PulseLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one OTLP destination is taking what is sent: one log line when exports start failing and
 * one when they succeed again, not one per attempt (the SDK's own per-attempt logging is muted).
 */
final class ExportHealth {
  private static final PulseLog LOG = PulseLog.forComponent("export");

  private final String what;
  private final AtomicBoolean failing = new AtomicBoolean();

  ExportHealth(String what) {
    this.what = what;
  }

  CompletableResultCode watch(CompletableResultCode result) {
    result.whenComplete(() -> {
      if (result.isSuccess()) {
        if (failing.compareAndSet(true, false)) {
          LOG.info(what + " recovered");
        }
      } else if (failing.compareAndSet(false, true)) {
        LOG.warn(what + " is failing (" + reason(result.getFailureThrowable()) + "); it goes on"
            + " trying at every export and says so here when it recovers");
      }
    });
    return result;
  }

  private static String reason(Throwable failure) {
    if (failure == null) {
      return "no success response";
    }
    // the first cause that is not the exporter's own wrapper: ConnectException, a timeout...
    Throwable cause = failure;
    while ((cause.getClass().getName().contains(".otel.")
        || cause.getClass().getName().contains("opentelemetry")) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  MetricExporter metrics(MetricExporter exporter) {
    return new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return watch(OtherAgent.quietly(() -> exporter.export(metrics)));
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return exporter.getAggregationTemporality(type);
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }

  LogRecordExporter logs(LogRecordExporter exporter) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> records) {
        return watch(OtherAgent.quietly(() -> exporter.export(records)));
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }
}
