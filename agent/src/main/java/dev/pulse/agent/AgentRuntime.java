package dev.pulse.agent;

import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.system.RequestFigures;
import dev.pulse.agent.system.SystemMonitor;
import dev.pulse.broadcaster.Broadcaster;
import dev.pulse.log.PulseLog;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The running agent: the broadcaster, the scheduler and the monitors, started off the main thread. */
final class AgentRuntime {
  private static final PulseLog LOG = PulseLog.forComponent("agent");

  private final AgentSettings settings;
  private final Instrumentation instrumentation;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "pulse-scheduler");
    thread.setDaemon(true);
    return thread;
  });

  AgentRuntime(AgentSettings settings, Instrumentation instrumentation) {
    this.settings = settings;
    this.instrumentation = instrumentation;
  }

  void start() {
    try {
      if (settings.isOff(Part.STREAM)) {
        LOG.warn("the WebSocket stream is off because of the setting problems above");
        return;
      }
      Broadcaster broadcaster = Broadcaster.start(settings.broadcasterConfig());
      if (broadcaster.isListening()) {
        LOG.info("streaming on " + broadcaster.url()
            + (settings.get(Settings.TOKEN) != null ? " (token required)" : ""));
      }
      if (!settings.isOff(Part.SYSTEM)) {
        long every = settings.get(Settings.SYSTEM_INTERVAL).toMillis();
        scheduleSafely(new SystemMonitor(broadcaster, RequestFigures.NONE), every);
      }
      LOG.debug("retransformation supported: " + instrumentation.isRetransformClassesSupported());
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    }
  }

  /** A monitor that throws is logged and keeps its schedule: a failed run must not cancel the rest. */
  private void scheduleSafely(Runnable monitor, long periodMillis) {
    scheduler.scheduleAtFixedRate(() -> {
      try {
        monitor.run();
      } catch (Throwable t) {
        LOG.warn(monitor.getClass().getSimpleName() + " failed", t);
      }
    }, 0, periodMillis, TimeUnit.MILLISECONDS);
  }
}
