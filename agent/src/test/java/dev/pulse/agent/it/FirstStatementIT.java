package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.FirstStatementHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No statement goes uncounted at start-up: a host that uses its pool from the first instruction of
 * main, its JDBC classes the first the agent weaves (ByteBuddy is loaded by the first of them) and
 * the stream not up yet, has every one of its statements counted and its pool found.
 */
class FirstStatementIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void statementsRunAtTheFirstInstructionOfMainAreCounted() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",autoscale.enabled=false,pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath(), FirstStatementHost.class.getName(), TestDatabase.jdbcUrl())) {
      host.awaitLine(Pattern.compile("^host executed 5$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        // the pool's first figures may predate the statements (it is found as it starts): the
        // count must reach 5, and a later report must not have gone past it
        client.await(m -> "pool_stats".equals(m.path("type").asText())
            && "first-pool".equals(m.get("data").path("pool_name").asText())
            && m.get("data").get("total_queries").asLong() >= 5, WAIT);
        JsonNode later = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && "first-pool".equals(m.get("data").path("pool_name").asText()), WAIT).get("data");
        assertEquals(5, later.get("total_queries").asLong(), later.toString());
      }
      host.stdin().write("quit\n".getBytes(StandardCharsets.UTF_8));
      host.stdin().flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }
}
