package dev.pulse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting against every kind of wrong value a person or a script can produce: the loader
 * never throws, and each value is either taken (it is valid for that setting) or refused with
 * one message that names the key, shows the value (unless secret) and says what is allowed, and
 * switches off only that setting's part.
 */
class WrongValuesTest {
  private static final List<String> KINDS = List.of("", " ", "\t", "-1", "0", "-0", "1.5",
      "99999999999999999999", "-99999999999999999999", "1e400", "NaN", "Infinity", "0x10", "abc",
      "TRUE ", "yes", "1 h", "-5s", "5x", "0x", "x2", "1,2", ",", "=", "==", "\"quoted\"", "'q'",
      "💥", "\u0000", "\n", "../../etc/passwd", "/no/such/file", "http://", "*,*",
      "a".repeat(10_000));

  static Stream<Arguments> everySettingTimesEveryKind() {
    List<Arguments> cases = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      for (String kind : KINDS) {
        cases.add(Arguments.of(setting.key(), kind));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} = [{index}]")
  @MethodSource("everySettingTimesEveryKind")
  void eachValueIsTakenOrRefusedClearly(String key, String value) {
    Setting<?> setting = Settings.ALL.stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow();
    Properties properties = new Properties();
    properties.setProperty(setting.systemProperty(), value);
    AgentSettings settings = SettingsLoader.load(null, properties, Collections.emptyMap());
    List<String> problems = settings.problems();
    boolean overlap = problems.size() == 1 && problems.get(0).contains("overlap");
    if (problems.isEmpty() || overlap) {
      Object parsed = settings.get(setting);
      assertTrue(parsed != null || setting.defaultValue() == null, key + " took " + value);
      return;
    }
    assertEquals(1, problems.size(), problems.toString());
    String message = problems.get(0);
    assertTrue(message.startsWith("setting " + key + " = "), message);
    assertTrue(message.contains("Allowed: " + setting.allowed() + "."), message);
    assertTrue(message.length() < 1000, () -> "a readable message: " + message.substring(0, 300));
    if (setting.secret()) {
      assertTrue(value.trim().isEmpty() || !message.contains(value.trim()), "the secret shows: " + message);
    }
    assertEquals(setting.defaultValue(), settings.get(setting));
    for (Part part : Part.values()) {
      boolean expectedOff = setting.part() == Part.AGENT
          || (part == setting.part() && part != Part.LOGGING);
      assertEquals(expectedOff, settings.isOff(part), part + " for " + message);
    }
  }
}
