package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The agent jar's own commands, run as a user would: {@code tail} and {@code attach}. */
class ConsoleIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void tailWaitsForTheAgentThenPrintsTheStreamReadablyOrAsJson() throws Exception {
    int port = AgentProcess.freePort();
    String url = "ws://127.0.0.1:" + port + "/";
    try (AgentProcess readable = AgentProcess.agentCommand("tail", url, "--channel", "db_pool_stats",
        "--channel", "system_alerts");
        AgentProcess json = AgentProcess.agentCommand("tail", url, "--json", "--channel",
            "db_pool_stats")) {
      readable.awaitLine(Pattern.compile("^waiting for " + Pattern.quote(url)), WAIT);
      try (AgentProcess host = AgentProcess.start("port=" + port + ",pool.interval=1s,"
          + "system.interval=1s,autoscale.enabled=false", List.of(), AgentProcess.poolHostClasspath(),
          PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "tail-pool", "3");
          Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
        host.awaitLine(Pattern.compile("found HikariCP pool tail-pool"), WAIT);
        commands.write("attempts 4\n");
        commands.flush();
        readable.awaitLine(Pattern.compile("^connected to " + Pattern.quote(url)), WAIT);
        readable.awaitLine(Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  db_pool_stats +pool_stats"
            + " +tail-pool  size \\d+/3  active \\d+  idle \\d+  waiting 0  util [\\d.]+%  qps"), WAIT);
        readable.awaitLine(Pattern.compile("system_alerts +system_stats +statements \\d+ \\(failed 0\\)"),
            WAIT);
        assertEquals(0, readable.count(Pattern.compile("vector_search|error_firewall")),
            "only the channels asked for");
        String line = json.awaitLine(Pattern.compile("\"type\":\"pool_stats\".*\"total_queries\":4\\b"), WAIT);
        JsonNode message = JSON.readTree(line);
        ContractSchemas.assertValid(message);
        for (String out : json.stdout()) {
          JSON.readTree(out); // stdout carries messages only: every line parses
        }
      }
    }
  }

  @Test
  void tailRefusesABadChannelAndStopsOnAWrongToken() throws Exception {
    try (AgentProcess bad = AgentProcess.agentCommand("tail", "--channel", "db_pools")) {
      assertEquals(2, bad.awaitExit(WAIT));
      assertTrue(bad.output().contains("unknown channel \"db_pools\"; the channels are db_pool_stats,"
          + " vector_search, error_firewall, system_alerts"), bad.output());
    }
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",token=right", List.of(),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "120")) {
      host.awaitLine(Pattern.compile("streaming on"), WAIT);
      try (AgentProcess tail = AgentProcess.agentCommand("tail", "ws://127.0.0.1:" + port + "/",
          "--token", "wrong")) {
        assertEquals(3, tail.awaitExit(WAIT), tail.output());
        assertTrue(tail.output().contains("wrong or missing token"), tail.output());
      }
    }
  }

  @Test
  void attachLoadsTheAgentIntoARunningApplicationAndFindsItsIdlePool() throws Exception {
    // HikariCP's housekeeper runs every second instead of every 30: it is where an idle pool is found
    try (AgentProcess host = AgentProcess.startWithoutAgent(
        List.of("-Dcom.zaxxer.hikari.housekeeping.periodMs=1000"), AgentProcess.poolHostClasspath(),
        PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "attached", "3");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      commands.write("attempts 1\n"); // before the agent: not counted
      commands.flush();
      host.awaitLine(Pattern.compile("^attempt ok"), WAIT);
      int port = AgentProcess.freePort();
      try (AgentProcess attach = AgentProcess.agentCommand("attach", String.valueOf(host.pid()),
          "port=" + port + ",pool.interval=1s")) {
        assertEquals(0, attach.awaitExit(WAIT), attach.output());
        assertTrue(attach.output().contains("Pulse loaded into process " + host.pid()
            + "; its stream: ws://127.0.0.1:" + port + "/"), attach.output());
      }
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        host.awaitLine(Pattern.compile("found HikariCP pool attached"), WAIT);
        JsonNode idle = client.await(m -> "pool_stats".equals(m.path("type").asText()), WAIT);
        assertEquals("attached", idle.get("data").get("pool_name").asText());
        assertEquals(0, idle.get("data").get("total_queries").asLong(), "found before any borrow");
        commands.write("attempts 3\n");
        commands.flush();
        JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && m.get("data").get("total_queries").asLong() == 3, WAIT);
        ContractSchemas.assertValid(stats);
        assertEquals("attached", stats.get("data").get("pool_name").asText());
        assertEquals(3, stats.get("data").get("maximum_pool_size").asInt());
      }
      commands.write("quit\n");
      commands.flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
    try (AgentProcess nobody = AgentProcess.agentCommand("attach", "999999999")) {
      assertEquals(1, nobody.awaitExit(WAIT));
      assertTrue(nobody.output().contains("cannot attach to process 999999999"), nobody.output());
    }
  }
}
