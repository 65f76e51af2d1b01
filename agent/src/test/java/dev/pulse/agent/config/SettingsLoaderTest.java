package dev.pulse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.log.PulseLog;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsLoaderTest {

  private static AgentSettings fromArguments(String arguments) {
    return SettingsLoader.load(arguments, new Properties(), Collections.emptyMap());
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    AgentSettings settings = fromArguments(null);
    assertTrue(settings.problems().isEmpty());
    assertEquals(8025, settings.get(Settings.PORT));
    assertEquals("127.0.0.1", settings.get(Settings.HOST));
    assertEquals(Duration.ofSeconds(30), settings.get(Settings.SYSTEM_INTERVAL));
    assertEquals(PulseLog.Level.INFO, settings.get(Settings.LOG_LEVEL));
    for (Part part : Part.values()) {
      assertFalse(settings.isOff(part), part.name());
    }
  }

  @Test
  void agentArgumentsBeatSystemPropertiesWhichBeatTheEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("pulse.port", "9001");
    properties.setProperty("pulse.history.size", "50");
    Map<String, String> environment = Map.of("PULSE_PORT", "9002", "PULSE_HISTORY_SIZE", "60",
        "PULSE_CLIENTS_MAX", "7");
    AgentSettings settings = SettingsLoader.load("port=9000", properties, environment);
    assertEquals(9000, settings.get(Settings.PORT));
    assertEquals(50, settings.get(Settings.HISTORY_SIZE));
    assertEquals(7, settings.get(Settings.CLIENTS_MAX));
    assertTrue(settings.problems().isEmpty(), settings.problems().toString());
  }

  @Test
  void listValuesMayContainCommasInAgentArguments() {
    AgentSettings settings = fromArguments("origins=http://a.test,https://b.test:8443,port=9000");
    assertEquals(List.of("http://a.test", "https://b.test:8443"), settings.get(Settings.ORIGINS));
    assertEquals(9000, settings.get(Settings.PORT));
  }

  @Test
  void unitsAreRead() {
    AgentSettings settings = fromArguments("client.buffer=512k,frame.max=2m,system.interval=1500ms,ping.interval=0");
    assertEquals(512L * 1024, settings.get(Settings.CLIENT_BUFFER));
    assertEquals(2L * 1024 * 1024, settings.get(Settings.FRAME_MAX));
    assertEquals(Duration.ofMillis(1500), settings.get(Settings.SYSTEM_INTERVAL));
    assertEquals(Duration.ZERO, settings.get(Settings.PING_INTERVAL));
  }

  /** Every setting with a kind of value it must refuse. */
  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(Settings.ENABLED, "maybe"),
        Arguments.of(Settings.LOG_LEVEL, "loud"),
        Arguments.of(Settings.HOST, "not a host"),
        Arguments.of(Settings.HOST, "300.1.1.1"),
        Arguments.of(Settings.PORT, "abc"),
        Arguments.of(Settings.PORT, "70000"),
        Arguments.of(Settings.PORT, "-1"),
        Arguments.of(Settings.TOKEN, ""),
        Arguments.of(Settings.ORIGINS, "example.com"),
        Arguments.of(Settings.TLS_KEYSTORE, "/no/such/keystore.p12"),
        Arguments.of(Settings.HISTORY_SIZE, "0"),
        Arguments.of(Settings.QUEUE_CAPACITY, "many"),
        Arguments.of(Settings.CLIENTS_MAX, "0"),
        Arguments.of(Settings.CLIENT_BUFFER, "1k"),
        Arguments.of(Settings.CLIENT_BUFFER, "lots"),
        Arguments.of(Settings.FRAME_MAX, "100g"),
        Arguments.of(Settings.PING_INTERVAL, "2h"),
        Arguments.of(Settings.HANDSHAKE_SIZE, "2m"),
        Arguments.of(Settings.HANDSHAKE_TIMEOUT, "0s"),
        Arguments.of(Settings.HANDSHAKES_MAX, "0"),
        Arguments.of(Settings.SYSTEM_INTERVAL, "0s"),
        Arguments.of(Settings.SYSTEM_INTERVAL, "soon"),
        Arguments.of(Settings.JDBC_ENABLED, "sometimes"),
        Arguments.of(Settings.JDBC_PREWOVEN, "maybe"),
        Arguments.of(Settings.POOL_INTERVAL, "0"),
        Arguments.of(Settings.POOL_WINDOW, "2m"),
        Arguments.of(Settings.AUTOSCALE_ENABLED, "2"),
        Arguments.of(Settings.AUTOSCALE_INTERVAL, "10ms"),
        Arguments.of(Settings.AUTOSCALE_HIGH, "120"),
        Arguments.of(Settings.AUTOSCALE_LOW, "100"),
        Arguments.of(Settings.AUTOSCALE_GROW_AFTER, "0"),
        Arguments.of(Settings.AUTOSCALE_SHRINK_AFTER, "x"),
        Arguments.of(Settings.AUTOSCALE_WAIT, "0ms"),
        Arguments.of(Settings.AUTOSCALE_WARMUP, "11m"),
        Arguments.of(Settings.AUTOSCALE_FLOOR, "0"),
        Arguments.of(Settings.AUTOSCALE_FLOOR, "x2"),
        Arguments.of(Settings.AUTOSCALE_CEILING, "1000x"),
        Arguments.of(Settings.AUTOSCALE_COOLDOWN, "-1s"),
        Arguments.of(Settings.AUTOSCALE_LATENCY_FACTOR, "0.5"),
        Arguments.of(Settings.AUTOSCALE_LATENCY_FACTOR, "NaN"),
        Arguments.of(Settings.AUTOSCALE_HEADROOM, "95"),
        Arguments.of(Settings.VECTOR_ENABLED, "yes please"),
        Arguments.of(Settings.VECTOR_RECALL_RATE, "1.5"),
        Arguments.of(Settings.VECTOR_RECALL_BUDGET, "0"),
        Arguments.of(Settings.VECTOR_EVENTS_RATE, "-1"),
        Arguments.of(Settings.VECTOR_EVENTS_RATE, "fifty"),
        Arguments.of(Settings.VECTOR_RECALL_TARGET, "0.3"),
        Arguments.of(Settings.VECTOR_ADVICE_ENABLED, "sometimes"),
        Arguments.of(Settings.VECTOR_ADVICE_RATE, "-0.1"),
        Arguments.of(Settings.VECTOR_ADVICE_BUDGET, "101"),
        Arguments.of(Settings.VECTOR_ADVICE_ROWS, "ten thousand"),
        Arguments.of(Settings.VECTOR_ADVICE_SHORT, "0"),
        Arguments.of(Settings.VECTOR_ADVICE_SAMPLES, "1"),
        Arguments.of(Settings.VECTOR_ADVICE_INTERVAL, "0s"),
        Arguments.of(Settings.VECTOR_TUNE, "auto"),
        Arguments.of(Settings.FIREWALL_ENABLED, "maybe"),
        Arguments.of(Settings.FIREWALL_WINDOW, "0"),
        Arguments.of(Settings.FIREWALL_RULES, "/no/such/rules.json"),
        Arguments.of(Settings.FIREWALL_FAILFAST, "fast"),
        Arguments.of(Settings.FIREWALL_PROBE, "10ms"),
        Arguments.of(Settings.DASHBOARD_ENABLED, "enable"),
        Arguments.of(Settings.DASHBOARD_PORT, "70000"),
        Arguments.of(Settings.ALERT_ENABLED, "1"),
        Arguments.of(Settings.ALERT_INTERVAL, "5 parsecs"),
        Arguments.of(Settings.ALERT_HEAP, "0"),
        Arguments.of(Settings.ALERT_CPU, "101"),
        Arguments.of(Settings.ALERT_POOL, "ninety"),
        Arguments.of(Settings.ALERT_ERRORS, "0"),
        Arguments.of(Settings.ALERT_ERRORS_MIN, "-3"),
        Arguments.of(Settings.ALERT_FIRE_AFTER, "0"),
        Arguments.of(Settings.ALERT_CLEAR_AFTER, "2.5"),
        Arguments.of(Settings.ALERT_HYSTERESIS, "95"),
        Arguments.of(Settings.REDACT, "nope"),
        Arguments.of(Settings.OTLP_ENDPOINT, "collector:4318"),
        Arguments.of(Settings.OTLP_ENDPOINT, "grpc://collector:4317"),
        Arguments.of(Settings.OTLP_INTERVAL, "500ms"),
        Arguments.of(Settings.OTLP_SEARCH_SAMPLE, "2"),
        Arguments.of(Settings.METRICS_ENABLED, "prometheus"),
        Arguments.of(Settings.QUERIES_ENABLED, "sometimes"),
        Arguments.of(Settings.QUERIES_INTERVAL, "500ms"),
        Arguments.of(Settings.QUERIES_MAX, "5"),
        Arguments.of(Settings.SLOW_THRESHOLD, "-1s"),
        Arguments.of(Settings.LEAK_THRESHOLD, "2d"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void everyInvalidValueNamesKeyValueAndAllowedValuesAndSwitchesOffOnlyItsPart(Setting<?> setting,
      String value) {
    AgentSettings settings = fromArguments(setting.key() + "=" + value);
    assertEquals(1, settings.problems().size(), settings.problems().toString());
    String message = settings.problems().get(0);
    assertTrue(message.contains("setting " + setting.key() + " = "), message);
    if (!setting.secret()) {
      assertTrue(message.contains("\"" + value + "\""), message);
    }
    assertTrue(message.contains("Allowed: " + setting.allowed()), message);
    assertEquals(setting.defaultValue(), settings.get(setting));
    for (Part part : Part.values()) {
      boolean expectedOff = setting.part() == Part.AGENT
          || (part == setting.part() && part != Part.LOGGING);
      assertEquals(expectedOff, settings.isOff(part), part + " for " + message);
    }
  }

  @Test
  void everySettingHasAnInvalidValueCase() {
    List<Setting<?>> tested = invalidValues().map(a -> (Setting<?>) a.get()[0]).distinct()
        .collect(java.util.stream.Collectors.toList());
    // any text is a password; any list of names is a list of pool names
    List<Setting<?>> accepting = Arrays.asList(Settings.TLS_PASSWORD, Settings.AUTOSCALE_OFF);
    for (Setting<?> setting : Settings.ALL) {
      assertTrue(tested.contains(setting) || accepting.contains(setting), setting.key());
    }
  }

  @Test
  void secretsNeverAppearInMessages() {
    Properties properties = new Properties();
    properties.setProperty("pulse.tokn", "hunter2");
    AgentSettings settings = SettingsLoader.load("token=,tls.password=pw", properties, Map.of());
    String all = String.join("\n", settings.problems());
    assertFalse(all.contains("hunter2"), all);
    assertTrue(all.contains("setting token = (hidden)"), all);
  }

  @Test
  void unknownKeysAreReportedWithASuggestion() {
    Properties properties = new Properties();
    properties.setProperty("pulse.histroy.size", "5");
    AgentSettings settings = SettingsLoader.load("prot=9000", properties, Map.of("PULSE_OTHER_TOOL", "x"));
    assertEquals(2, settings.problems().size(), settings.problems().toString());
    assertTrue(settings.problems().get(0).contains("unknown setting prot in the -javaagent arguments"));
    assertTrue(settings.problems().get(0).contains("Did you mean port?"));
    assertTrue(settings.problems().get(1).contains("Did you mean pulse.history.size?"));
    assertEquals(8025, settings.get(Settings.PORT));
  }

  @Test
  void aPieceWithoutEqualsIsReportedWithoutShowingIt() {
    AgentSettings settings = fromArguments("hunter2,port=9000");
    assertEquals(1, settings.problems().size());
    assertTrue(settings.problems().get(0).startsWith("agent argument 1 (7 characters, not shown:"
        + " it may be a secret) is not key=value"), settings.problems().get(0));
    assertFalse(settings.problems().get(0).contains("hunter2"));
    assertEquals(9000, settings.get(Settings.PORT));
  }

  @Test
  void aSecretFollowedByWhatItCouldSwallowIsRefusedUnshown() {
    for (String arguments : List.of("token=abc,tail=xyz", "token=abc,xyz,port=9000",
        "port=9000,tls.password=abc,xyz=1", "token=abc,tail=xyz,other")) {
      AgentSettings settings = fromArguments(arguments);
      String all = String.join("\n", settings.problems());
      assertTrue(settings.isOff(Part.STREAM), arguments);
      assertFalse(all.contains("abc") || all.contains("xyz") || all.contains("tail")
          || all.contains("other"), all);
      assertTrue(all.contains("is refused: its value is followed by a comma and text that is not"
          + " a setting"), all);
      assertEquals(1, settings.problems().size(), all);
    }
    AgentSettings fine = fromArguments("token=abc,port=9000,tls.password=p,origins=http://a,http://b");
    assertEquals(List.of(), fine.problems());
    assertEquals("abc", fine.get(Settings.TOKEN));
    assertEquals(List.of("http://a", "http://b"), fine.get(Settings.ORIGINS));
  }

  @Test
  void sizerThresholdsMustNotOverlap() {
    AgentSettings settings = fromArguments("autoscale.low=70,autoscale.high=60");
    assertEquals(List.of("settings autoscale.low = 70 and autoscale.high = 60 overlap: low must be"
        + " below high. The adaptive pool sizer stays off; the rest of the agent runs."),
        settings.problems());
    assertTrue(settings.isOff(Part.AUTOSCALE));
    assertFalse(settings.isOff(Part.POOLS));
  }

  @Test
  void disabledAgentIsOffEverywhere() {
    AgentSettings settings = fromArguments("enabled=false");
    assertTrue(settings.problems().isEmpty());
    for (Part part : Part.values()) {
      assertTrue(settings.isOff(part), part.name());
    }
  }
}
