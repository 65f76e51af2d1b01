package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.FailureHost;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.ThrowawayCluster;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** End to end: real failures, classified, fingerprinted and summarized, the host unchanged. */
class ErrorFirewallIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void realFailuresAreClassifiedAndStormsSummarized() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",autoscale.enabled=false,firewall.window=2s", List.of(), classpath,
        FailureHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
      client.awaitType("subscribed", WAIT);

      run(host, commands, "unique 3", 3);
      JsonNode unique = next(client);
      assertEquals("unique_violation", unique.get("error_type").asText());
      assertEquals("query", unique.get("error_scene").asText());
      assertEquals("23505", unique.get("sql_state").asText());
      assertEquals("observed", unique.get("status").asText());
      assertEquals(1, unique.get("count").asInt());
      assertTrue(unique.get("confidence").asDouble() >= 0.9);
      assertTrue(unique.get("solution").asText().contains("ON CONFLICT"), unique.toString());
      JsonNode repeats = next(client);
      assertEquals(unique.get("error_id").asText(), repeats.get("error_id").asText(),
          "other literal values, the same fingerprint");
      assertEquals("suppressed", repeats.get("status").asText());
      assertEquals(2, repeats.get("count").asInt());

      run(host, commands, "syntax", 1);
      assertEquals("syntax_error", next(client).get("error_type").asText());

      run(host, commands, "dimension", 1);
      JsonNode dimension = next(client);
      assertEquals("dimension_mismatch", dimension.get("error_type").asText());
      assertEquals("vector_search", dimension.get("error_scene").asText());

      run(host, commands, "exhaust", 1);
      JsonNode exhausted = next(client);
      assertEquals("pool_exhausted", exhausted.get("error_type").asText());
      assertEquals("connection_acquire", exhausted.get("error_scene").asText());
      assertTrue(exhausted.get("message").asText().startsWith("failing-pool - Connection is not"
          + " available, request timed out after ?ms"), exhausted.toString());
      JsonNode figures = exhausted.get("pool");
      assertEquals("failing-pool", figures.get("pool_name").asText());
      assertEquals(2, figures.get("maximum_pool_size").asInt());
      assertEquals(2, figures.get("active_connections").asInt(), "both held by the host: " + figures);
      assertTrue(exhausted.get("solution").asText().contains("leakDetectionThreshold"));

      long stormStart = System.nanoTime();
      run(host, commands, "storm 10000", 10000);
      long stormMillis = (System.nanoTime() - stormStart) / 1_000_000;
      // The machine's speed decides how many 2 s windows the storm spans: each window reports its
      // first failure (observed) and one summary of its repeats (suppressed), whatever the count.
      // Failures the firewall could not keep up with are dropped and logged with their number.
      String id = null;
      int events = 0;
      int counted = 0;
      long deadline = System.nanoTime() + WAIT.toNanos() * 2;
      while (counted + dropped(host) < 10000 && System.nanoTime() < deadline) {
        if (client.pending() == 0) {
          Thread.sleep(50);
          continue;
        }
        JsonNode summary = next(client);
        assertEquals("undefined_table", summary.get("error_type").asText(), summary.toString());
        id = id == null ? summary.get("error_id").asText() : id;
        assertEquals(id, summary.get("error_id").asText());
        assertTrue(summary.get("status").asText().matches("observed|suppressed"), summary.toString());
        counted += summary.get("count").asInt();
        events++;
      }
      assertEquals(10000, counted + dropped(host), "every failure accounted for, reported or dropped");
      long windows = stormMillis / 2000 + 1;
      assertTrue(events <= 2 * windows, "10,000 failures in " + stormMillis + " ms (" + windows
          + " windows of 2 s), " + events + " events");
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void eachKindOfFailureIsClassifiedWhenItReallyHappens() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    String[][] cases = {
        {"fk", "foreign_key_violation"}, {"notnull", "not_null_violation"},
        {"column", "undefined_column"}, {"readonly", "read_only_transaction"},
        {"timeout", "statement_timeout"}, {"lock", "lock_timeout"},
        {"serialization", "serialization_failure"}, {"deadlock", "deadlock"},
        {"auth", "authentication_failed"}, {"noextension", "missing_vector_extension"},
        {"terminate", "connection_terminated|database_unreachable"}};
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false",
        List.of(), classpath, FailureHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
      client.awaitType("subscribed", WAIT);
      for (String[] kind : cases) {
        long before = host.count(Pattern.compile("^failures "));
        send(commands, kind[0]);
        JsonNode event = ContractSchemas.assertValid(client.await(m -> m.path("data")
            .path("error_type").asText().matches(kind[1]), WAIT)).get("data");
        assertTrue(event.get("confidence").asDouble() >= 0.8, kind[0] + ": " + event);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (host.count(Pattern.compile("^failures ")) == before && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void aStoppedClusterAndAFullOneAreClassified() throws Exception {
    try (ThrowawayCluster cluster = ThrowawayCluster.start(4)) {
      int port = AgentProcess.freePort();
      String classpath = AgentProcess.poolHostClasspath();
      try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false",
          List.of(), classpath, PoolLoadHost.class.getName(), cluster.jdbcUrl(), "cluster-pool", "5",
          "800");
          Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
          WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        host.awaitLine(Pattern.compile("^host ready$"), WAIT);
        client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
        client.awaitType("subscribed", WAIT);
        // the cluster has 4 slots; the pool may open 5, and its fifth connection is refused. Six
        // threads hold the four for a second each: two wait past the 800 ms connection timeout,
        // and HikariCP hands them that refusal as the cause (shorter holds made this a race)
        send(commands, "load 6 2500 1000");
        JsonNode tooMany = ContractSchemas.assertValid(client.await(m -> m.path("data")
            .path("error_type").asText().equals("too_many_connections"), WAIT)).get("data");
        assertEquals("connection_acquire", tooMany.get("error_scene").asText());
        assertEquals("53300", tooMany.get("sql_state").asText());
        host.awaitLine(Pattern.compile("^load done$"), WAIT);

        cluster.down();
        send(commands, "attempts 6");
        // the pool's idle connections die with the server (query scene), then borrows fail
        // (connection_acquire); whichever comes first, the failure reads as an outage
        JsonNode down = client.await(m -> m.path("data").path("error_type").asText()
            .equals("database_unreachable"), WAIT).get("data");
        assertTrue(down.get("sql_state").asText().startsWith("08"), down.toString());
        cluster.up();
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean back = false;
        while (!back && System.nanoTime() < deadline) {
          long before = host.count(Pattern.compile("^attempt ok"));
          send(commands, "attempts 1");
          Thread.sleep(1000);
          back = host.count(Pattern.compile("^attempt ok")) > before;
        }
        assertTrue(back, "the application works again when the cluster is back: " + host.output());
        send(commands, "quit");
      }
    }
  }

  @Test
  void theFingerprintIsTheSameInAnotherRun() throws Exception {
    List<String> first = fingerprintsOfOneRun();
    List<String> second = fingerprintsOfOneRun();
    assertEquals(first, second, "the same causes, the same ids, in two JVMs");
    assertEquals(2, new java.util.HashSet<>(first).size(), "two causes, two ids: " + first);
  }

  /** error_id of a unique violation and of a syntax error, in a fresh JVM. */
  private static List<String> fingerprintsOfOneRun() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false",
        List.of(), classpath, FailureHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
      client.awaitType("subscribed", WAIT);
      run(host, commands, "unique 1", 1);
      String unique = next(client).get("error_id").asText();
      run(host, commands, "syntax", 1);
      String syntax = next(client).get("error_id").asText();
      send(commands, "quit");
      return List.of(unique, syntax);
    }
  }

  /** Failures the firewall dropped unclassified (its queue was full), as it logged them. */
  private static long dropped(AgentProcess host) {
    Pattern dropped = Pattern.compile("(\\d+) failures dropped unclassified");
    return java.util.stream.Stream.concat(host.stdout().stream(), host.stderr().stream())
        .map(dropped::matcher).filter(java.util.regex.Matcher::find)
        .mapToLong(m -> Long.parseLong(m.group(1))).sum();
  }

  private static JsonNode next(WsTestClient client) throws InterruptedException {
    return ContractSchemas.assertValid(client.awaitType("error_intercepted", WAIT)).get("data");
  }

  private static void run(AgentProcess host, Writer commands, String command, int failures)
      throws Exception {
    long before = host.count(Pattern.compile("^failures "));
    send(commands, command);
    long deadline = System.nanoTime() + WAIT.toNanos() * 3;
    while (host.count(Pattern.compile("^failures ")) == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<String> lines = host.stdout();
    assertEquals("failures " + failures, lines.get(lines.size() - 1), host.output());
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
