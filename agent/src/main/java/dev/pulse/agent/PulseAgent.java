package dev.pulse.agent;

import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.config.SettingsLoader;
import dev.pulse.log.PulseLog;
import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code premain} for {@code -javaagent} (the main road) and {@code agentmain} for
 * loading into a running JVM. On the caller's thread they only read the settings and install the
 * instrumentation (so no JDBC call made afterwards is missed); everything that can wait (binding
 * the port, the monitors) starts on a daemon thread, and no failure of the agent reaches the host.
 */
public final class PulseAgent {
  private static final PulseLog LOG = PulseLog.forComponent("agent");
  private static AgentRuntime runtime;

  private PulseAgent() {
  }

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, false);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, true);
  }

  private static synchronized void start(String agentArgs, Instrumentation instrumentation,
      boolean attached) {
    try {
      if (runtime != null) {
        LOG.warn("already running; the second load is ignored");
        return;
      }
      AgentSettings settings = SettingsLoader.load(agentArgs, System.getProperties(), System.getenv());
      PulseLog.Level level = settings.get(Settings.LOG_LEVEL);
      PulseLog.setLevel(level);
      for (String problem : settings.problems()) {
        LOG.error(problem);
      }
      if (settings.isOff(Part.AGENT)) {
        LOG.info("disabled by settings; the application runs without it");
        return;
      }
      runtime = new AgentRuntime(settings, instrumentation, attached);
      runtime.instrument();
      Thread starter = new Thread(runtime::start, "pulse-start");
      starter.setDaemon(true);
      starter.start();
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    }
  }
}
