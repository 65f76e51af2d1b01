package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.VectorHost;
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

/** End to end: pgvector searches of every shape, seen by the agent in a separate JVM. */
class VectorSearchIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void searchesAreReportedWithTheirRowsKDistanceAndSettings() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false", List.of(),
        classpath(), VectorHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"vector_search\"]}");
      client.awaitType("subscribed", WAIT);
      send(commands, "setup");
      host.awaitLine(Pattern.compile("^setup done$"), WAIT);

      JsonNode literal = search(host, commands, client, "literal");
      assertEquals("pulse_it_vectors", literal.get("collection").asText());
      assertEquals(5, literal.get("top_k").asInt());
      assertEquals("l2", literal.get("distance").asText());
      assertEquals(40, literal.get("ef_search").asInt());
      assertEquals(1, literal.get("probes").asInt());
      assertEquals("off", literal.get("iterative_scan").asText());
      assertTrue(literal.get("recall_estimated").isNull(), "no exact sample yet: no estimate");
      assertEquals(0, literal.get("recall_samples").asInt());
      assertTrue(literal.get("search_time_ms").asDouble() > 0);

      String[][] operators = {{"<->", "l2"}, {"<=>", "cosine"}, {"<#>", "inner_product"},
          {"<+>", "l1"}};
      for (String[] operator : operators) {
        JsonNode bound = search(host, commands, client, "prepared " + operator[0] + " 7");
        assertEquals(operator[1], bound.get("distance").asText());
        assertEquals(7, bound.get("top_k").asInt(), "k from the bound parameter");
      }

      JsonNode ivfflat = search(host, commands, client, "ivfflat 6");
      assertEquals("pulse_it_vectors_ivf", ivfflat.get("collection").asText());
      assertEquals(1, ivfflat.get("probes").asInt());
      for (String[] operator : new String[][] {{"<~>", "hamming"}, {"<%>", "jaccard"}}) {
        JsonNode bits = search(host, commands, client, "bits " + operator[0] + " 5");
        assertEquals(operator[1], bits.get("distance").asText());
        assertEquals("pulse_it_vectors_bits", bits.get("collection").asText());
      }

      JsonNode springAi = search(host, commands, client, "springai 4");
      assertEquals("cosine", springAi.get("distance").asText());
      assertEquals(4, springAi.get("top_k").asInt());

      send(commands, "set hnsw.ef_search 100");
      host.awaitLine(Pattern.compile("^set done$"), WAIT);
      assertEquals(100, search(host, commands, client, "literal").get("ef_search").asInt());

      JsonNode local = search(host, commands, client, "local hnsw.ef_search 250");
      assertEquals(250, local.get("ef_search").asInt(), "SET LOCAL inside the transaction");
      assertEquals(100, search(host, commands, client, "literal").get("ef_search").asInt(),
          "back to the session value after commit");

      send(commands, "set ivfflat.probes 9");
      host.awaitLine(Pattern.compile("^set done$"), WAIT);
      assertEquals(9, search(host, commands, client, "ivfflat 6").get("probes").asInt(),
          "probes in effect on the IVFFlat search");
      JsonNode localProbes = search(host, commands, client, "local ivfflat.probes 3");
      assertEquals(3, localProbes.get("probes").asInt());
      assertEquals(9, search(host, commands, client, "ivfflat 6").get("probes").asInt(),
          "back to the session value after the transaction");
      send(commands, "set hnsw.iterative_scan relaxed_order");
      JsonNode tuned = search(host, commands, client, "literal");
      assertEquals(9, tuned.get("probes").asInt());
      assertEquals("relaxed_order", tuned.get("iterative_scan").asText());

      send(commands, "other");
      host.awaitLine(Pattern.compile("^other done$"), WAIT);
      JsonNode after = search(host, commands, client, "literal");
      assertEquals(5, after.get("top_k").asInt(), "the statements in 'other' made no event");
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void aSettingGivenByTheServerIsReportedTooNotTheBareDefault() throws Exception {
    int port = AgentProcess.freePort();
    String url = TestDatabase.jdbcUrl() + (TestDatabase.jdbcUrl().contains("?") ? "&" : "?")
        + "options=-c%20hnsw.ef_search%3D120";
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false", List.of(),
        classpath(), VectorHost.class.getName(), url);
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"vector_search\"]}");
      client.awaitType("subscribed", WAIT);
      send(commands, "setup");
      host.awaitLine(Pattern.compile("^setup done$"), WAIT);
      // learnt from the server right after the pool is found; the first searches may precede it
      long deadline = System.nanoTime() + WAIT.toNanos();
      int efSearch = 0;
      while (efSearch != 120 && System.nanoTime() < deadline) {
        efSearch = search(host, commands, client, "literal").get("ef_search").asInt();
      }
      assertEquals(120, efSearch);
      send(commands, "set hnsw.ef_search 30");
      host.awaitLine(Pattern.compile("^set done$"), WAIT);
      assertEquals(30, search(host, commands, client, "literal").get("ef_search").asInt());
      send(commands, "quit");
    }
  }

  private static String classpath() {
    return AgentProcess.poolHostClasspath("pgvector");
  }

  /** Runs a search command; returns its event, checking results_count against the host's rows. */
  private static JsonNode search(AgentProcess host, Writer commands, WsTestClient client,
      String command) throws Exception {
    long before = host.count(Pattern.compile("^rows \\d+$"));
    send(commands, command);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (host.count(Pattern.compile("^rows \\d+$")) == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<String> rows = host.stdout().stream().filter(l -> l.startsWith("rows ")).collect(
        java.util.stream.Collectors.toList());
    int read = Integer.parseInt(rows.get(rows.size() - 1).substring(5));
    JsonNode event;
    try {
      event = ContractSchemas.assertValid(client.awaitType("search_completed", WAIT)).get("data");
    } catch (AssertionError e) {
      throw new AssertionError(command + ": no event\n" + host.output(), e);
    }
    assertEquals(read, event.get("results_count").asInt(), command + ": " + event);
    return event;
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
