package dev.pulse.agent.dashboard;

import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.broadcaster.AccessRules;
import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.Event;
import dev.pulse.broadcaster.SeriesSource;
import dev.pulse.log.PulseLog;
import java.util.Set;
import java.util.function.Consumer;

/** Starts the WebSocket stream and, beside it, the dashboard page that reads it. */
public final class StreamStarter {
  private static final PulseLog LOG = PulseLog.forComponent("agent");

  private StreamStarter() {
  }

  /**
   * The stream's publish, or null when it is off or could not listen.
   *
   * @param metrics Prometheus' page, served on the dashboard's port; null when metrics are off
   * @param series answers a client's {"action":"series"}
   * @param audience told whenever the stream gains its first client or loses its last
   */
  public static Consumer<Event> start(AgentSettings settings, MetricsPage metrics,
      SeriesSource series, Consumer<Boolean> audience) {
    if (settings.isOff(Part.STREAM)) {
      LOG.warn("the WebSocket stream is off because of the setting problems above");
      return null;
    }
    DashboardServer dashboard = bindDashboard(settings);
    BroadcasterConfig config = settings.broadcasterConfig();
    if (dashboard != null) {
      config.pagePorts(Set.of(dashboard.port()));
    }
    Broadcaster broadcaster = Broadcaster.start(config);
    if (!broadcaster.isListening()) {
      if (dashboard != null) {
        dashboard.stop(); // a page with no stream to read would only mislead
      }
      return null;
    }
    broadcaster.answerSeries(series);
    broadcaster.watchAudience(audience);
    closeAtExit(broadcaster, dashboard);
    LOG.info("streaming on " + broadcaster.url()
        + (settings.get(Settings.TOKEN) != null ? " (token required)" : ""));
    if (dashboard != null) {
      dashboard.serve(config.tls() ? "wss" : "ws", broadcaster.port(),
          new AccessRules(settings.get(Settings.TOKEN)));
      LOG.info("dashboard on " + dashboard.url()
          + (settings.get(Settings.TOKEN) != null ? "?token=..." : ""));
    }
    serveMetrics(dashboard, metrics);
    return broadcaster::publish;
  }

  /** /metrics on the dashboard's server, when metrics.enabled is on. */
  private static void serveMetrics(DashboardServer dashboard, MetricsPage metrics) {
    if (metrics == null) {
      return;
    }
    if (dashboard == null) {
      LOG.warn("metrics.enabled: /metrics is served on the dashboard's port, which is off;"
          + " Prometheus has nothing to scrape (OTLP, if on, still pushes)");
      return;
    }
    dashboard.serveMetrics(metrics);
    LOG.info("Prometheus metrics on " + dashboard.url() + "metrics");
  }

  /**
   * Stops both servers when the JVM exits, so that none of their threads is still blocked in a
   * selector: HotSpot waits up to 300 ms for such threads before it ends the process, which every
   * short-lived host (a batch job, a CLI, a test run) would pay.
   */
  private static void closeAtExit(Broadcaster broadcaster, DashboardServer dashboard) {
    Thread hook = new Thread(() -> {
      try {
        if (dashboard != null) {
          dashboard.stop();
        }
        broadcaster.closeAtExit();
      } catch (Throwable t) {
        // the JVM is going away: nothing left to tell
      }
    }, "pulse-exit");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // the application is exiting while the agent starts: nothing to stop later
    }
  }

  /** The dashboard's port, bound; null when it is off or the port is taken (the stream goes on). */
  private static DashboardServer bindDashboard(AgentSettings settings) {
    if (!settings.isOn(Part.DASHBOARD, Settings.DASHBOARD_ENABLED)) {
      return null;
    }
    try {
      return DashboardServer.bind(settings.broadcasterConfig(), settings.get(Settings.DASHBOARD_PORT));
    } catch (Exception e) {
      LOG.error("dashboard: cannot listen on " + settings.get(Settings.HOST) + ":"
          + settings.get(Settings.DASHBOARD_PORT) + " (" + e.getMessage() + "); the page is off,"
          + " the stream and the application run");
      return null;
    }
  }
}
