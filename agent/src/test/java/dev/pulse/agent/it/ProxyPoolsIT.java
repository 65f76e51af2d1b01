package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.ProxyPoolHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pools whose connections are JDK proxies (Tomcat JDBC, also over pgjdbc's pooled connections,
 * which are the driver's own proxies; Vibur), on real PostgreSQL from a separate JVM: their statements are their pool's, their init SQL is not the application's, and
 * their connections are seen to come back (a borrow the application closed, or in Vibur aborted,
 * is never reported held; the one it keeps is, with its pool and its borrower).
 */
class ProxyPoolsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String HOST = ProxyPoolHost.class.getName();
  /** Every query table received. */
  private final List<JsonNode> tables = new ArrayList<>();

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "tomcat-pooled", "vibur"})
  void statementsAreThePoolsAndClosedConnectionsAreNotHeld(String pool) throws Exception {
    int port = AgentProcess.freePort();
    String poolName = pool + "-pool";
    List<JsonNode> leaks = new ArrayList<>();
    tables.clear();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",queries.interval=1s,leak.threshold=1s", List.of(),
        AgentProcess.poolHostClasspath("tomcat-jdbc", "tomcat-juli", "vibur-dbcp",
            "vibur-object-pool"), HOST, pool, TestDatabase.jdbcUrl());
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      host.command("work", "work done", WAIT);
      JsonNode stats = client.await(m -> !recorded(leaks, m)
          && "query_stats".equals(m.path("type").asText())
          && poolName.equals(m.at("/data/pool_name").asText())
          && calls(m, "SELECT count(*) FROM pg_class WHERE oid > ?") == ProxyPoolHost.ROUNDS
          && calls(m, "SELECT ?") == ProxyPoolHost.ROUNDS, WAIT);
      ContractSchemas.assertValid(stats);
      // a table later, every pool's table of that moment has come (the init SQL, were it counted
      // as the application's, would be in no pool: its connection was not borrowed yet)
      client.await(m -> !recorded(leaks, m) && m != stats
          && "query_stats".equals(m.path("type").asText())
          && poolName.equals(m.at("/data/pool_name").asText()), WAIT);
      for (JsonNode table : tables) {
        assertEquals(-1, calls(table, "SET application_name = ?"), "the pool's init SQL: " + table);
      }

      if (pool.equals("vibur")) {
        host.command("abort", "aborted", WAIT); // Vibur takes an aborted connection back
      }
      // kept past the threshold, so every borrow before was too
      host.command("leak", "leak borrowed", WAIT);
      JsonNode held = client.await(m -> recorded(leaks, m) && "held".equals(status(m)), WAIT);
      ContractSchemas.assertValid(held);
      assertEquals(poolName, held.at("/data/pool_name").asText());
      assertTrue(held.at("/data/call_site/0").asText().startsWith(HOST + ".borrowAndKeep("),
          held.toString());
      host.command("return", "leak returned", WAIT);
      JsonNode returned = client.await(m -> recorded(leaks, m) && "returned".equals(status(m)),
          WAIT);
      assertTrue(returned.at("/data/call_site/0").asText().startsWith(HOST + ".borrowAndKeep("),
          returned.toString());
      assertEquals(2, leaks.size(), "only the kept connection was held: " + leaks);
      host.command("quit", null, WAIT);
      host.awaitExit(WAIT);
    }
    assertFalse(leaks.stream().anyMatch(m -> m.toString().contains(".work(")
        || m.toString().contains(".abortWithoutClose(")), leaks.toString());
  }

  /**
   * True for a connection_leak message, which is kept, as every query table is: every await looks
   * at every message.
   */
  private boolean recorded(List<JsonNode> leaks, JsonNode message) {
    if ("query_stats".equals(message.path("type").asText())) {
      tables.add(message);
    }
    if (!"connection_leak".equals(message.path("type").asText())) {
      return false;
    }
    leaks.add(message);
    return true;
  }

  private static String status(JsonNode message) {
    return message.at("/data/status").asText();
  }

  private static long calls(JsonNode stats, String sql) {
    for (JsonNode shape : stats.at("/data/queries")) {
      if (shape.get("sql").asText().equals(sql)) {
        return shape.get("calls").asLong();
      }
    }
    return -1;
  }

}
