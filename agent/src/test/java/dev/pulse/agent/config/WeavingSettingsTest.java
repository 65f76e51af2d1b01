package dev.pulse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The weaving decided on the thread that loads the agent agrees with the settings read in full:
 * from the arguments, the system properties and the environment, a bad value included, and its
 * list of keys is every key of the parts that decide it.
 */
class WeavingSettingsTest {
  private static final Properties NO_PROPERTIES = new Properties();

  @Test
  void itsKeysAreEveryKeyOfThePartsThatDecideTheWeaving() {
    Set<String> deciding = Settings.ALL.stream()
        .filter(setting -> EnumSet.of(Part.AGENT, Part.JDBC).contains(setting.part()))
        .map(Setting::key).collect(Collectors.toSet());
    assertEquals(deciding, Set.copyOf(WeavingSettings.KEYS));
  }

  @Test
  void nothingGivenWeavesWithTheBuildsWeaving() {
    WeavingSettings weaving = fromArguments("port=0,dashboard.enabled=false,metrics.enabled=true");
    assertTrue(weaving.weave());
    assertTrue(weaving.prewoven());
    assertTrue(fromArguments("port=0,continued,,=x").weave());
  }

  @Test
  void theArgumentsDecideAsTheSettingsReadInFull() {
    assertFalse(fromArguments("enabled=false").weave());
    assertFalse(fromArguments("port=0, jdbc.enabled = false").weave());
    assertFalse(fromArguments("jdbc.enabled=maybe").weave(), "a bad value switches JDBC off");
    WeavingSettings notPrewoven = fromArguments("port=0,jdbc.prewoven=false");
    assertTrue(notPrewoven.weave());
    assertFalse(notPrewoven.prewoven());
  }

  @Test
  void systemPropertiesAndTheEnvironmentDecideToo() {
    Properties properties = new Properties();
    properties.setProperty("pulse.jdbc.enabled", "false");
    assertFalse(WeavingSettings.read(null, properties, Map.of()).weave());
    assertFalse(WeavingSettings.read(null, NO_PROPERTIES, Map.of("PULSE_ENABLED", "false"))
        .weave());
    assertFalse(WeavingSettings.read(null, NO_PROPERTIES, Map.of("PULSE_JDBC_PREWOVEN", "false"))
        .prewoven());
    assertTrue(WeavingSettings.read("jdbc.enabled=true", properties, Map.of()).weave(),
        "the arguments come first");
  }

  private static WeavingSettings fromArguments(String arguments) {
    return WeavingSettings.read(arguments, NO_PROPERTIES, Map.of());
  }
}
