package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * End to end against PostgreSQL: a HikariCP host in its own JVM under the agent, driven through
 * load phases, watched by a real WebSocket client.
 */
class PoolIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FAST_SIZER = "pool.interval=1s,autoscale.interval=500ms,"
      + "autoscale.grow.after=2,autoscale.shrink.after=4,autoscale.cooldown=1s,autoscale.warmup=0s";

  private static boolean is(JsonNode message, String type) {
    return type.equals(message.path("type").asText());
  }

  @Test
  void poolGrowsUnderLoadShrinksAfterAndCountsEveryStatementOnce() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + "," + FAST_SIZER, List.of(),
        AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "it-pool", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      host.awaitLine(Pattern.compile("found HikariCP pool it-pool \\(maximum 4, minimum idle 2\\)"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\"]}");
        send(commands, "mixed");
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        send(commands, "load 8 4000 50");

        JsonNode grown = client.await(m -> is(m, "pool_resized")
            && m.get("data").get("new_size").asInt() > m.get("data").get("old_size").asInt(), WAIT);
        ContractSchemas.assertValid(grown);
        JsonNode data = grown.get("data");
        assertEquals("it-pool", data.get("pool_name").asText());
        assertEquals(4, data.get("old_size").asInt());
        // 8 threads on 4 connections: in one move to where the demand the reason names fills
        // 80 % (whichever sample sees the pressure first), never past the ceiling (4x)
        String reason = data.get("reason").asText();
        Matcher demand = Pattern.compile("^high load: demand (?:now )?(\\d+\\.\\d) ").matcher(reason);
        assertTrue(demand.find(), data.toString());
        long tenths = Math.round(Double.parseDouble(demand.group(1)) * 10);
        long wanted = (tenths * 10 + 79) / 80; // ceil(demand / 0.8), exactly
        assertEquals(Math.min(16, Math.max(5, wanted)), data.get("new_size").asInt(), data.toString());
        assertEquals(Math.round(1000.0 * data.get("active_connections").asInt()
            / data.get("new_size").asInt()) / 10.0, data.get("utilization").asDouble(), 0.05, data.toString());
        assertTrue(data.get("threads_awaiting").asInt() >= 0);

        host.awaitLine(Pattern.compile("^load done$"), WAIT);
        JsonNode shrunk = client.await(m -> is(m, "pool_resized")
            && m.get("data").get("new_size").asInt() < m.get("data").get("old_size").asInt(), WAIT);
        assertTrue(shrunk.get("data").get("reason").asText().startsWith("low load: demand"),
            shrunk.toString());
        while (shrunk.get("data").get("new_size").asInt() > 4) { // back to the floor, half the surplus a time
          shrunk = client.await(m -> is(m, "pool_resized"), WAIT);
        }
        assertEquals(4, shrunk.get("data").get("new_size").asInt(), shrunk.toString());

        send(commands, "count");
        long executed = Long.parseLong(host.awaitLine(Pattern.compile("^statements \\d+$"), WAIT)
            .substring("statements ".length()));
        JsonNode stats = client.await(m -> is(m, "pool_stats")
            && m.get("data").get("total_queries").asLong() == executed, WAIT);
        ContractSchemas.assertValid(stats);
        assertEquals(executed, stats.get("data").get("total_queries").asLong());
        assertEquals(1, stats.get("data").get("failed_queries").asLong(), "the one bad statement in 'mixed'");

        send(commands, "resize 9");
        JsonNode byApplication = client.await(m -> is(m, "pool_resized")
            && m.get("data").get("new_size").asInt() == 9, WAIT);
        assertTrue(byApplication.get("data").get("reason").asText().startsWith(
            "application: " + PoolLoadHost.class.getName() + ".main() set the maximum to 9"),
            byApplication.toString());

        send(commands, "wrapper 10");
        JsonNode byWrapper = client.await(m -> is(m, "pool_resized")
            && m.get("data").get("new_size").asInt() == 10, WAIT);
        assertTrue(byWrapper.get("data").get("reason").asText().startsWith(
            "application: com.zaxxer.hikari.pulsetest.PoolWrapper.resize() set the maximum to 10"),
            "a class of the application under com.zaxxer.hikari is the caller: " + byWrapper);

        send(commands, "jmx 11");
        JsonNode byOperator = client.await(m -> is(m, "pool_resized")
            && m.get("data").get("new_size").asInt() == 11, WAIT);
        assertEquals("operator over JMX set the maximum to 11",
            byOperator.get("data").get("reason").asText());
        assertEquals(10, byOperator.get("data").get("old_size").asInt());
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void sizerDoesNotGrowWhileTheDatabaseRefusesConnections() throws Exception {
    int port = AgentProcess.freePort();
    int deadPort = AgentProcess.freePort(); // nothing listens there: connections are refused
    String url = "jdbc:postgresql://127.0.0.1:" + deadPort + "/none?user=x&password=y&connectTimeout=1";
    try (AgentProcess host = AgentProcess.start("port=" + port + "," + FAST_SIZER, List.of(),
        AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(), url, "down-pool", "4", "500", "-1");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        send(commands, "load 8 6000 10");
        JsonNode waiting = client.await(m -> is(m, "pool_stats")
            && m.get("data").get("threads_awaiting").asInt() > 0, WAIT);
        assertEquals(0, waiting.get("data").get("pool_size").asInt(), waiting.toString());
        host.awaitLine(Pattern.compile("^load done$"), WAIT);
        JsonNode after = client.await(m -> is(m, "pool_stats")
            && m.get("data").get("threads_awaiting").asInt() == 0, WAIT);
        assertEquals(4, after.get("data").get("maximum_pool_size").asInt(), after.toString());
        assertTrue(after.get("data").get("failed_acquisitions").asLong() > 0, after.toString());
      }
      assertEquals(0, host.count(Pattern.compile("pool down-pool: 4 -> ")), host.output());
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
