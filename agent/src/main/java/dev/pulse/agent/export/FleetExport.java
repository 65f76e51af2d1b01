package dev.pulse.agent.export;

import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.dashboard.MetricsPage;
import dev.pulse.broadcaster.Event;
import dev.pulse.log.PulseLog;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fleet export: the agent's figures and events through an OpenTelemetry SDK of its own (never the
 * global one, never the application's or another agent's), pushed by OTLP and/or served to
 * Prometheus at {@code /metrics}. Off unless {@code otlp.endpoint}, an OTEL_EXPORTER_OTLP_*
 * endpoint or {@code metrics.enabled} turns it on.
 */
public final class FleetExport implements Consumer<Event> {
  private static final PulseLog LOG = PulseLog.forComponent("export");
  static final String SCOPE = "dev.pulse";
  private static final Duration EXIT_FLUSH = Duration.ofSeconds(1);

  private final SdkMeterProvider meters;
  private final SdkLoggerProvider logs;
  private final PrometheusScrape scrape;
  private final EventTap tap;

  private FleetExport(SdkMeterProvider meters, SdkLoggerProvider logs, PrometheusScrape scrape,
      EventTap tap) {
    this.meters = meters;
    this.logs = logs;
    this.scrape = scrape;
    this.tap = tap;
  }

  /** The export the settings ask for, started; null when they ask for none. */
  public static FleetExport start(AgentSettings settings, ExportSource source,
      Map<String, String> environment) {
    if (settings.isOff(Part.EXPORT)) {
      return null;
    }
    OtlpTarget otlp = OtlpTarget.resolve(settings.get(Settings.OTLP_ENDPOINT), environment);
    boolean prometheus = settings.get(Settings.METRICS_ENABLED);
    if (otlp == null && !prometheus) {
      return null;
    }
    SdkLogging.LOGGER.setLevel(Level.OFF);
    if ("grpc".equalsIgnoreCase(String.valueOf(environment.get("OTEL_EXPORTER_OTLP_PROTOCOL")).trim())) {
      LOG.warn("OTEL_EXPORTER_OTLP_PROTOCOL=grpc: Pulse exports by OTLP over HTTP (protobuf) only,"
          + " to port 4318 on a Collector");
    }
    Resource resource = ServiceResource.of(environment, System.getProperty("sun.java.command"));
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder(SCOPE)
        .setVersion(version()).build();
    SdkMeterProviderBuilder meterBuilder = SdkMeterProvider.builder().setResource(resource)
        .registerMetricProducer(new PoolHistograms(source, scope,
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis())));
    PrometheusScrape scrape = prometheus ? new PrometheusScrape() : null;
    if (scrape != null) {
      meterBuilder.registerMetricReader(scrape);
    }
    SdkLoggerProvider logs = null;
    if (otlp != null) {
      ExportHealth metricsHealth = new ExportHealth("OTLP metrics export to "
          + OtlpTarget.shown(otlp.metricsUrl));
      ExportHealth eventsHealth = new ExportHealth("OTLP events export to "
          + OtlpTarget.shown(otlp.logsUrl));
      meterBuilder.registerMetricReader(PeriodicMetricReader.builder(
              metricsHealth.metrics(metricExporter(otlp)))
          .setInterval(settings.get(Settings.OTLP_INTERVAL))
          .setExecutor(Executors.newSingleThreadScheduledExecutor(daemon("pulse-export-metrics")))
          // no otel.sdk.* metrics of the reader itself among the agent's
          .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY)
          .build());
      logs = SdkLoggerProvider.builder().setResource(resource)
          .setMeterProvider(MeterProvider::noop)
          .addLogRecordProcessor(BatchLogRecordProcessor.builder(eventsHealth.logs(logExporter(otlp)))
              .setMeterProvider(MeterProvider::noop)
              .build())
          .build();
    }
    SdkMeterProvider meters = meterBuilder.build();
    Meter meter = meters.meterBuilder(SCOPE).setInstrumentationVersion(version()).build();
    PoolInstruments.register(meter, source);
    EventInstruments instruments = new EventInstruments(meter);
    EventLogs records = logs == null ? null : new EventLogs(
        logs.loggerBuilder(SCOPE).setInstrumentationVersion(version()).build(),
        settings.get(Settings.OTLP_SEARCH_SAMPLE), () -> ThreadLocalRandom.current().nextDouble());
    EventTap tap = new EventTap(event -> {
      instruments.record(event.type(), event.data());
      if (records != null) {
        records.emit(event);
      }
    });
    FleetExport export = new FleetExport(meters, logs, scrape, tap);
    export.flushAtExit();
    if (otlp != null) {
      LOG.info("exporting by OTLP to " + OtlpTarget.shown(otlp.metricsUrl) + " and "
          + OtlpTarget.shown(otlp.logsUrl) + " every "
          + settings.get(Settings.OTLP_INTERVAL).getSeconds() + " s as service "
          + resource.getAttribute(ServiceResource.SERVICE_NAME));
    }
    return export;
  }

  /** Takes an event the agent published (on the publisher's thread: a type check and an offer). */
  @Override
  public void accept(Event event) {
    tap.accept(event);
  }

  /** What /metrics serves; null when {@code metrics.enabled} is off. */
  public MetricsPage metricsPage() {
    if (scrape == null) {
      return null;
    }
    return new MetricsPage() {
      @Override
      public String contentType() {
        return scrape.contentType();
      }

      @Override
      public byte[] render() throws IOException {
        return scrape.scrape();
      }
    };
  }

  /** At JVM exit: one last push, waited for briefly; an unreachable endpoint does not hold the exit. */
  private void flushAtExit() {
    Thread hook = new Thread(() -> {
      tap.stop();
      if (logs != null) {
        logs.shutdown();
      }
      meters.shutdown().join(EXIT_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
    }, "pulse-export-exit");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // nothing to flush yet
    }
  }

  private static OtlpHttpMetricExporter metricExporter(OtlpTarget otlp) {
    OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder()
        .setEndpoint(otlp.metricsUrl)
        .setMeterProvider(MeterProvider::noop)
        .setServiceClassLoader(FleetExport.class.getClassLoader());
    otlp.headers.forEach(builder::addHeader);
    return builder.build();
  }

  private static OtlpHttpLogRecordExporter logExporter(OtlpTarget otlp) {
    OtlpHttpLogRecordExporterBuilder builder = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(otlp.logsUrl)
        .setMeterProvider(MeterProvider::noop)
        .setServiceClassLoader(FleetExport.class.getClassLoader());
    otlp.headers.forEach(builder::addHeader);
    return builder.build();
  }

  /**
   * The SDK logs every failed export through java.util.logging; the agent says it once per change
   * instead (ExportHealth). Held here so the muted logger is not collected with its level; made
   * when an export starts, so that an agent exporting nothing never starts java.util.logging.
   */
  private static final class SdkLogging {
    static final Logger LOGGER = Logger.getLogger(sdkRoot());
  }

  /** The SDK's package root as it is named in this jar (relocated in the agent). */
  private static String sdkRoot() {
    String name = Resource.class.getName();
    return name.substring(0, name.indexOf(".sdk.resources."));
  }

  private static String version() {
    String version = FleetExport.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
