package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** End to end: a separate JVM under -javaagent streams system_stats with every contract field. */
class SystemStatsIT {

  @Test
  void attachedJvmStreamsSystemStats() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",system.interval=1s", List.of(),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "120")) {
      host.awaitLine(Pattern.compile("streaming on ws://127.0.0.1:" + port + "/"), Duration.ofSeconds(60));
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", Duration.ofSeconds(60))) {
        ContractSchemas.assertValid(client.awaitType("welcome", Duration.ofSeconds(60)));
        client.send("{\"action\":\"subscribe\",\"channels\":[\"system_alerts\"]}");
        JsonNode first = client.awaitType("system_stats", Duration.ofSeconds(60));
        JsonNode second = client.awaitType("system_stats", Duration.ofSeconds(60));
        for (JsonNode message : List.of(first, second)) {
          ContractSchemas.assertValid(message);
          assertEquals("system_alerts", message.get("channel").asText());
          assertTrue(message.get("seq").isIntegralNumber());
          assertTrue(message.get("timestamp").asText()
              .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), message.toString());
          JsonNode data = message.get("data");
          for (String field : List.of("total_requests", "successful_requests", "failed_requests",
              "active_connections", "uptime")) {
            assertTrue(data.get(field).isIntegralNumber(), field + " in " + data);
            assertTrue(data.get(field).asLong() >= 0, field + " in " + data);
          }
          for (String field : List.of("avg_response_time", "memory_usage", "cpu_usage")) {
            assertTrue(data.get(field).isNumber(), field + " in " + data);
          }
          assertTrue(data.get("memory_usage").asDouble() > 0, data.toString());
          assertTrue(data.get("cpu_usage").asDouble() >= 0 && data.get("cpu_usage").asDouble() <= 100);
        }
        assertTrue(second.get("seq").asLong() > first.get("seq").asLong());
        assertTrue(second.get("data").get("uptime").asLong() >= first.get("data").get("uptime").asLong());
      }
      host.awaitLine(Pattern.compile("host alive"), Duration.ofSeconds(60));
    }
  }

  @Test
  void requestFiguresAreTheApplicationsStatementsCountedByTheJdbcLayer() throws Exception {
    int port = AgentProcess.freePort();
    Duration wait = Duration.ofSeconds(60);
    String classpath = AgentProcess.poolHostClasspath();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",system.interval=1s", List.of(),
        classpath, PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "figures", "2");
        java.io.Writer commands = new java.io.OutputStreamWriter(host.stdin(),
            java.nio.charset.StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("found HikariCP pool figures"), wait);
      commands.write("mixed\ncount\n");
      commands.flush();
      long mixed = statementCount(host, wait); // one of each kind, the last one failing
      commands.write("fail 300\ncount\n");
      commands.flush();
      long all = statementCount(host, wait);
      assertTrue(all > mixed, "the failing loop ran");
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", wait)) {
        JsonNode stats = client.await(m -> "system_stats".equals(m.path("type").asText())
            && m.get("data").get("total_requests").asLong() == all, wait);
        ContractSchemas.assertValid(stats);
        JsonNode data = stats.get("data");
        assertEquals(all - mixed + 1, data.get("failed_requests").asLong(), data.toString());
        assertEquals(mixed - 1, data.get("successful_requests").asLong(), data.toString());
        assertTrue(data.get("avg_response_time").asDouble() > 0, data.toString());
        assertEquals(0, data.get("active_connections").asInt(), data.toString());
      }
      commands.write("quit\n");
      commands.flush();
      assertEquals(0, host.awaitExit(wait), host.output());
    }
  }

  /** The host's own count of the statements it executed so far. */
  private static long statementCount(AgentProcess host, Duration wait) throws Exception {
    Pattern count = Pattern.compile("^statements (\\d+)$");
    long before = host.count(count);
    long deadline = System.nanoTime() + wait.toNanos();
    while (host.count(count) == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String last = host.stdout().stream().filter(l -> count.matcher(l).matches())
        .reduce((a, b) -> b).orElseThrow();
    java.util.regex.Matcher matcher = count.matcher(last);
    matcher.matches();
    return Long.parseLong(matcher.group(1));
  }
}
