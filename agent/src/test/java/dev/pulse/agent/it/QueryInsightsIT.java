package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.QueryHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The answers of issue 14 on real PostgreSQL, from a separate JVM under the agent: statements
 * grouped by shape with exact counts and no literal, a slow statement with the host's own method
 * as its call site, a connection held too long (and its return) with the method that borrowed it,
 * and an exhausted pool that names who holds its connections.
 */
class QueryInsightsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String HOST = QueryHost.class.getName();

  @Test
  void queriesAreGroupedByShapeAndASlowStatementNamesItsCallSite() throws Exception {
    int port = AgentProcess.freePort();
    List<String> seen = new ArrayList<>();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",queries.interval=1s,"
        + "slow.threshold=500ms", List.of(), AgentProcess.poolHostClasspath(), HOST,
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      command(host, commands, "shapes", "shapes done");
      Map<String, Integer> expected = Map.of(
          "SELECT name FROM pulse_it_queries WHERE id = ? AND name <> ?", 7,
          "SELECT count(*) FROM pulse_it_queries WHERE id IN (?)", 5,
          "UPDATE pulse_it_queries SET name = ? WHERE id = ?", 3,
          "SELECT id FROM pulse_it_queries ORDER BY embedding <-> ? LIMIT ?", 4);
      JsonNode stats = client.await(recording(seen, m -> isQueryStats(m)
          && expected.equals(calls(m, expected))), WAIT);
      ContractSchemas.assertValid(stats);
      Map<String, JsonNode> bySql = new HashMap<>();
      stats.at("/data/queries").forEach(shape -> bySql.put(shape.get("sql").asText(), shape));
      assertEquals(7, bySql.get("SELECT name FROM pulse_it_queries WHERE id = ? AND name <> ?")
          .get("rows").asLong(), "one row per lookup, counted from the driver's result");
      assertEquals(12, bySql.get("SELECT id FROM pulse_it_queries ORDER BY embedding <-> ? LIMIT ?")
          .get("rows").asLong());
      JsonNode lookup = bySql.get("SELECT name FROM pulse_it_queries WHERE id = ? AND name <> ?");
      assertTrue(lookup.get("total_ms").asDouble() > 0 && lookup.get("p99_ms").asDouble() > 0,
          lookup.toString());
      assertEquals(0, lookup.get("failures").asLong());
      // the counts are exact, not a first glimpse: the next table says the same
      JsonNode next = client.await(recording(seen, QueryInsightsIT::isQueryStats), WAIT);
      assertEquals(expected, calls(next, expected));

      command(host, commands, "slow", "slow done");
      JsonNode slow = client.await(recording(seen, m -> "slow_query".equals(m.path("type").asText())),
          WAIT);
      ContractSchemas.assertValid(slow);
      JsonNode data = slow.get("data");
      assertEquals("SELECT pg_sleep(?)", data.get("sql").asText());
      assertEquals("query-pool", data.get("pool_name").asText());
      assertEquals("main", data.get("thread").asText());
      assertEquals(1, data.get("rows").asInt());
      assertTrue(data.get("time_ms").asDouble() >= 1200, data.toString());
      assertTrue(data.at("/call_site/0").asText().startsWith(HOST + ".slowReport(QueryHost.java:"),
          data.toString());
      assertTrue(data.at("/call_site/1").asText().startsWith(HOST + ".main(QueryHost.java:"),
          data.toString());
      JsonNode withSlow = client.await(recording(seen, m -> isQueryStats(m)
          && shapeOf(m, "SELECT pg_sleep(?)") != null), WAIT);
      assertEquals(data.get("shape_id").asText(),
          shapeOf(withSlow, "SELECT pg_sleep(?)").get("shape_id").asText());

      command(host, commands, "quit", null);
      host.awaitExit(WAIT);
    }
    assertFalse(seen.stream().anyMatch(text -> text.contains(QueryHost.LITERAL)
        || text.contains("2.5, 2, 3")), "a literal left the process");
  }

  @Test
  void aHeldConnectionIsReportedWithItsBorrowerAndAnExhaustedPoolNamesItsHolders()
      throws Exception {
    int port = AgentProcess.freePort();
    // a pool of two that stays two: the sizer would grow it on the waiting third borrow
    try (AgentProcess host = AgentProcess.start("port=" + port
        + ",leak.threshold=1s,autoscale.enabled=false",
        List.of(), AgentProcess.poolHostClasspath(), HOST, TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      String borrower = HOST + ".borrowAndKeep(QueryHost.java:";
      command(host, commands, "leak", "leak borrowed");
      JsonNode held = client.await(m -> isLeak(m, "held", borrower), WAIT);
      ContractSchemas.assertValid(held);
      assertEquals("query-pool", held.at("/data/pool_name").asText());
      assertEquals("main", held.at("/data/thread").asText());
      assertTrue(held.at("/data/held_ms").asLong() >= 1000, held.toString());

      command(host, commands, "exhaust", "exhausted");
      JsonNode exhausted = client.await(m -> "error_intercepted".equals(m.path("type").asText())
          && "pool_exhausted".equals(m.at("/data/error_type").asText()), WAIT);
      ContractSchemas.assertValid(exhausted);
      JsonNode holders = exhausted.at("/data/pool/holders");
      assertEquals(2, holders.size(), exhausted.toString());
      assertTrue(holders.at("/0/call_site/0").asText().startsWith(borrower), holders.toString());
      assertTrue(holders.at("/1/call_site/0").asText().startsWith(HOST + ".holdSecond("),
          holders.toString());
      assertEquals("main", holders.at("/0/thread").asText());
      assertTrue(holders.at("/0/held_ms").asLong() >= holders.at("/1/held_ms").asLong());

      command(host, commands, "return", "leak returned");
      JsonNode returned = client.await(m -> isLeak(m, "returned", borrower), WAIT);
      ContractSchemas.assertValid(returned);
      assertTrue(returned.at("/data/held_ms").asLong() >= held.at("/data/held_ms").asLong(),
          returned.toString());
      command(host, commands, "quit", null);
      host.awaitExit(WAIT);
    }
  }

  private static boolean isLeak(JsonNode message, String status, String callSite) {
    return "connection_leak".equals(message.path("type").asText())
        && status.equals(message.at("/data/status").asText())
        && message.at("/data/call_site/0").asText().startsWith(callSite);
  }

  private static boolean isQueryStats(JsonNode message) {
    return "query_stats".equals(message.path("type").asText())
        && "query-pool".equals(message.at("/data/pool_name").asText());
  }

  private static Map<String, Integer> calls(JsonNode message, Map<String, Integer> wanted) {
    Map<String, Integer> calls = new HashMap<>();
    for (String sql : wanted.keySet()) {
      JsonNode shape = shapeOf(message, sql);
      if (shape != null) {
        calls.put(sql, shape.get("calls").asInt());
      }
    }
    return calls;
  }

  private static JsonNode shapeOf(JsonNode message, String sql) {
    for (JsonNode shape : message.at("/data/queries")) {
      if (sql.equals(shape.get("sql").asText())) {
        return shape;
      }
    }
    return null;
  }

  private static Predicate<JsonNode> recording(List<String> seen, Predicate<JsonNode> filter) {
    return message -> {
      seen.add(message.toString());
      return filter.test(message);
    };
  }

  private static void command(AgentProcess host, Writer commands, String command, String done)
      throws Exception {
    commands.write(command + "\n");
    commands.flush();
    if (done != null) {
      host.awaitLine(Pattern.compile("^" + Pattern.quote(done) + "$"), WAIT);
    }
  }
}
