package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.ByteBuddyHost;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same application under the agent on each JDK, each HikariCP major version and beside the
 * OpenTelemetry Java agent (in both orders): the pool is found, a resize the application makes is
 * reported as the application's, statements are counted exactly, and the JVM prints no warning.
 */
class CompatibilityIT {
  /** Two agents starting in one JVM on a busy machine can take most of a minute. */
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** Where the machine's second JDK is; the compatibility matrix needs it. */
  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final List<String> OTEL_QUIET = List.of("-Dotel.traces.exporter=none",
      "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none");

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("JDK " + System.getProperty("java.specification.version") + ", HikariCP 6",
            "own", "hikari6", "pulse"),
        Arguments.of("Temurin 25, HikariCP 6", "temurin25", "hikari6", "pulse"),
        Arguments.of("HikariCP 5", "own", "hikari5", "pulse"),
        Arguments.of("HikariCP 7", "own", "hikari7", "pulse"),
        Arguments.of("Temurin 25, HikariCP 7", "temurin25", "hikari7", "pulse"),
        Arguments.of("OpenTelemetry agent, then Pulse", "own", "hikari6", "otel,pulse"),
        Arguments.of("Pulse, then the OpenTelemetry agent", "own", "hikari6", "pulse,otel"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void thePoolIsFoundResizesAreReportedAndCountsAreExact(String name, String jdk, String hikari,
      String agents) throws Exception {
    int port = AgentProcess.freePort();
    List<String> options = new ArrayList<>();
    for (String agent : agents.split(",")) {
      if (agent.equals("otel")) {
        options.add("-javaagent:" + AgentProcess.compatLib("opentelemetry-javaagent"));
        options.addAll(OTEL_QUIET);
      } else {
        options.add("-javaagent:" + AgentProcess.agentJar() + "=port=" + port
            + ",pool.interval=1s,autoscale.enabled=false,dashboard.enabled=false");
      }
    }
    String classpath = String.join(File.pathSeparator, AgentProcess.hostClasses(),
        hikari.equals("hikari5") ? AgentProcess.compatLib("HikariCP-5.")
            : hikari.equals("hikari7") ? AgentProcess.compatLib("HikariCP-7.") : AgentProcess.hostLib("HikariCP"),
        AgentProcess.hostLib("postgresql"), AgentProcess.hostLib("slf4j-api"));
    try (AgentProcess host = AgentProcess.startOn(java(jdk), options, classpath,
        PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "compat", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        commands.write("mixed\nmixed\ncount\nresize 6\n");
        commands.flush();
        Matcher count = Pattern.compile("^statements (\\d+)$")
            .matcher(host.awaitLine(Pattern.compile("^statements \\d+$"), WAIT));
        assertTrue(count.matches());
        long statements = Long.parseLong(count.group(1));
        JsonNode resized = client.await(m -> "pool_resized".equals(m.path("type").asText()), WAIT);
        ContractSchemas.assertValid(resized);
        assertEquals(6, resized.get("data").get("new_size").asInt(), resized.toString());
        assertTrue(resized.get("data").get("reason").asText().startsWith("application: "),
            resized.toString());
        JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && m.get("data").get("total_queries").asLong() == statements, WAIT);
        assertEquals("compat", stats.get("data").get("pool_name").asText());
        assertEquals(2, stats.get("data").get("failed_queries").asLong(), "mixed fails once");
      }
      assertEquals(List.of(), warnings(host), name + ": " + host.output());
      commands.write("quit\n");
      commands.flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void aHostWithItsOwnByteBuddyUsesItWhileOursInstruments() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = String.join(File.pathSeparator, AgentProcess.hostClasses(),
        AgentProcess.compatLib("byte-buddy"), AgentProcess.hostLib("HikariCP"),
        AgentProcess.hostLib("postgresql"), AgentProcess.hostLib("slf4j-api"));
    try (AgentProcess host = AgentProcess.start("port=" + port + ",pool.interval=1s", List.of(),
        classpath, ByteBuddyHost.class.getName(), TestDatabase.jdbcUrl(), "5")) {
      String jar = Paths.get(AgentProcess.compatLib("byte-buddy")).getFileName().toString();
      host.awaitLine(Pattern.compile("^made by ByteBuddy from " + Pattern.quote(jar) + "$"), WAIT);
      host.awaitLine(Pattern.compile("^statements 5$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && "bytebuddy-host".equals(m.get("data").get("pool_name").asText())
            && m.get("data").get("total_queries").asLong() == 5, WAIT);
        ContractSchemas.assertValid(stats);
      }
    }
  }

  /**
   * What the host printed on stderr that warns or fails, less the JDK 24+ warning the OpenTelemetry
   * agent earns itself (its ByteBuddy calls sun.misc.Unsafe; the JVM names its jar). The JVM warns
   * once per process, so it could hide ours: the Temurin 25 row without that agent shows there is
   * none.
   */
  private static List<String> warnings(AgentProcess host) {
    List<String> warnings = host.stderr().stream()
        .filter(line -> line.contains("WARNING") || line.contains("Exception"))
        .collect(Collectors.toList());
    boolean otelsUnsafe = warnings.stream().anyMatch(line -> line.matches(
        "WARNING: sun\\.misc\\.Unsafe::\\w+ has been called by .* \\(file:.*/opentelemetry-javaagent[^/]*\\.jar\\)"));
    if (otelsUnsafe) {
      warnings.removeIf(line -> line.contains("sun.misc.Unsafe")
          || line.startsWith("WARNING: Please consider reporting this to the maintainers of class net.bytebuddy."));
    }
    return warnings;
  }

  private static String java(String jdk) {
    if (jdk.equals("own")) {
      return AgentProcess.javaExecutable();
    }
    if (!Files.isExecutable(TEMURIN_25)) {
      throw new IllegalStateException("no Temurin 25 at " + TEMURIN_25 + ": the compatibility"
          + " matrix runs the agent on it (install Temurin 25 there)");
    }
    return TEMURIN_25.toString();
  }
}
