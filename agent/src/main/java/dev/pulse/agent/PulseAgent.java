package dev.pulse.agent;

import dev.pulse.agent.config.AgentSettings;
import dev.pulse.agent.config.Part;
import dev.pulse.agent.config.Settings;
import dev.pulse.agent.config.SettingsLoader;
import dev.pulse.agent.config.WeavingSettings;
import dev.pulse.agent.instrumentation.Instrumenter;
import dev.pulse.log.PulseLog;
import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code premain} for {@code -javaagent} (the main road) and {@code agentmain} for
 * loading into a running JVM. On the caller's thread they only register the transformer, unless
 * the settings given say not to weave (so no JDBC class loaded afterwards is missed), and start
 * the agent's start thread, which reads the settings, builds the features and then lets the woven
 * classes' events go to them: the host's start goes on meanwhile, and only an event before the
 * features listen waits for it. No failure of the agent reaches the host.
 */
public final class PulseAgent {
  private static final PulseLog LOG = PulseLog.forComponent("agent");
  private static boolean started;

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
      if (started) {
        LOG.warn("already running; the second load is ignored");
        return;
      }
      started = true;
      WeavingSettings weaving = WeavingSettings.read(agentArgs, System.getProperties(),
          System.getenv());
      // attached: the classes the host already loaded are woven too
      Instrumenter instrumenter = weaving.weave() ? Instrumenter.install(instrumentation,
          AdvisedClasses.instrumentations(), AdvisedClasses.MENTION, attached,
          weaving.prewoven()) : null;
      Thread starter = new Thread(() -> run(agentArgs, instrumenter), "pulse-start");
      starter.setDaemon(true);
      starter.start();
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    }
  }

  private static synchronized void startedNot() {
    started = false;
  }

  private static void run(String agentArgs, Instrumenter instrumenter) {
    try {
      AgentSettings settings = SettingsLoader.load(agentArgs, System.getProperties(),
          System.getenv());
      PulseLog.Level level = settings.get(Settings.LOG_LEVEL);
      PulseLog.setLevel(level);
      for (String problem : settings.problems()) {
        LOG.error(problem);
      }
      if (settings.isOff(Part.AGENT)) {
        LOG.info("disabled by settings; the application runs without it");
        startedNot(); // a later attach may still start it
        return;
      }
      AgentRuntime runtime = new AgentRuntime(settings);
      if (instrumenter != null) {
        runtime.instrument(instrumenter);
        instrumenter.weaveNothing(); // unless instrument got to listen: nothing waits for start()
      }
      runtime.start();
    } catch (Throwable t) {
      LOG.error("failed to start; the application runs without it", t);
    } finally {
      if (instrumenter != null) {
        instrumenter.weaveNothing(); // a disabled or failed start: no event waits any longer
      }
    }
  }
}
