package dev.pulse.agent.config;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the thread loading the agent must know before the agent's start thread reads the settings:
 * whether JDBC classes are woven at all, and whether they take what the agent's build wove. Both
 * are their defaults unless a key of the parts that decide them is given somewhere (an argument, a
 * system property, an environment variable); only then are the settings read here in full, the
 * same reading the start thread makes. So the common start reads no settings on the host's thread,
 * and no host class waits for them.
 */
public final class WeavingSettings {
  /**
   * The keys of the parts that decide the weaving ({@link Part#AGENT}, {@link Part#JDBC}: a bad
   * value of any switches it off), written out so that {@link Settings} is not loaded for them.
   */
  static final List<String> KEYS = List.of("enabled", "jdbc.enabled", "jdbc.prewoven");

  private final boolean weave;
  private final boolean prewoven;

  private WeavingSettings(boolean weave, boolean prewoven) {
    this.weave = weave;
    this.prewoven = prewoven;
  }

  public static WeavingSettings read(String agentArgs, Properties systemProperties,
      Map<String, String> environment) {
    if (!anyGiven(agentArgs, systemProperties, environment)) {
      return new WeavingSettings(true, true);
    }
    AgentSettings settings = SettingsLoader.load(agentArgs, systemProperties, environment);
    return new WeavingSettings(settings.isOn(Part.JDBC, Settings.JDBC_ENABLED),
        settings.get(Settings.JDBC_PREWOVEN));
  }

  private static boolean anyGiven(String agentArgs, Properties systemProperties,
      Map<String, String> environment) {
    for (String key : KEYS) {
      if (systemProperties.getProperty(Setting.systemPropertyOf(key)) != null
          || environment.get(Setting.environmentVariableOf(key)) != null) {
        return true;
      }
    }
    if (agentArgs != null) {
      // as the arguments are read (a piece inside another setting's value may look like a
      // key=value: then the settings are read in full, which is only slower)
      for (String piece : agentArgs.split(",")) {
        String key = SettingsLoader.argumentKey(piece);
        if (key != null && KEYS.contains(key)) { // an immutable list refuses to look for null
          return true;
        }
      }
    }
    return false;
  }

  /** Whether JDBC and HikariCP classes are woven (the whole agent and its JDBC part on). */
  public boolean weave() {
    return weave;
  }

  /** Whether classes take the agent's build's weaving ({@code jdbc.prewoven}). */
  public boolean prewoven() {
    return prewoven;
  }
}
