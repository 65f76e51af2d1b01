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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * End to end: pool saturation, the error rate and the heap each cross their threshold and come back
 * under it in a real application, and each raises exactly one firing alert and one resolved alert,
 * though the values keep crossing the threshold check after check while they are up.
 */
class AlertsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SETTINGS = "alert.interval=250ms,alert.fire.after=2,"
      + "alert.clear.after=2,alert.heap=50,alert.errors=20,alert.errors.min=5,"
      + "autoscale.enabled=false,system.interval=1h";

  private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();
  private AgentProcess host;

  @Test
  void eachThresholdCrossedAndRecrossedFiresOnceAndResolvesOnce() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    try (AgentProcess host = this.host = AgentProcess.start("port=" + port + "," + SETTINGS,
        List.of("-Xmx256m", "-XX:+UseG1GC"), classpath, PoolLoadHost.class.getName(),
        TestDatabase.jdbcUrl(), "alerts", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("found HikariCP pool alerts"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        client.send("{\"action\":\"subscribe\",\"channels\":[\"system_alerts\"]}");

        send(commands, "load 8 3000 100"); // twice the pool's threads: all 4 in use, 4 waiting
        JsonNode saturated = awaitAlert(client, "pool_saturation:alerts", "firing");
        assertEquals("pool_saturation", saturated.get("data").get("metric").asText());
        assertEquals("alerts", saturated.get("data").get("pool_name").asText());
        assertEquals(100.0, saturated.get("data").get("value").asDouble());
        assertEquals("critical", saturated.get("data").get("severity").asText());
        assertTrue(saturated.get("data").get("message").asText()
            .matches("pool alerts: 4 of 4 connections in use, \\d threads waiting, .*"),
            saturated.toString());
        host.awaitLine(Pattern.compile("^load done$"), WAIT);
        awaitAlert(client, "pool_saturation:alerts", "resolved");

        send(commands, "fail 2000");
        JsonNode errors = awaitAlert(client, "error_rate", "firing");
        assertEquals(100.0, errors.get("data").get("value").asDouble(), errors.toString());
        assertEquals(20.0, errors.get("data").get("threshold").asDouble());
        host.awaitLine(Pattern.compile("^fail done$"), WAIT);
        send(commands, "load 1 2000 5");
        awaitAlert(client, "error_rate", "resolved");

        send(commands, "retain 150");
        JsonNode heap = awaitAlert(client, "heap", "firing");
        assertTrue(heap.get("data").get("value").asDouble() >= 50, heap.toString());
        send(commands, "release");
        JsonNode heapCleared = awaitAlert(client, "heap", "resolved");
        assertTrue(heapCleared.get("data").get("value").asDouble() < 45, heapCleared.toString());
        assertEquals(45.0, heapCleared.get("data").get("clear_below").asDouble());

        Thread.sleep(1500); // a dozen more checks: nothing may flap back
        client.send("{\"action\":\"ping\"}");
        client.await(m -> !record(m) && "pong".equals(m.path("type").asText()), WAIT);
        for (String id : List.of("pool_saturation:alerts", "error_rate", "heap")) {
          List<String> states = alerts.stream()
              .filter(a -> id.equals(a.get("data").get("alert_id").asText()))
              .map(a -> a.get("data").get("state").asText()).collect(Collectors.toList());
          assertEquals(List.of("firing", "resolved"), states, id + " in " + alerts);
        }
        for (JsonNode alert : alerts) {
          ContractSchemas.assertValid(alert);
        }
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private JsonNode awaitAlert(WsTestClient client, String id, String state) throws Exception {
    try {
      return client.await(m -> record(m) && id.equals(m.get("data").get("alert_id").asText())
          && state.equals(m.get("data").get("state").asText()), WAIT);
    } catch (AssertionError e) {
      throw new AssertionError("no " + state + " alert " + id + "; host output:\n" + host.output(), e);
    }
  }

  /** Keeps every alert seen, whichever await consumed it; true for alerts. */
  private boolean record(JsonNode message) {
    if (!"alert".equals(message.path("type").asText())) {
      return false;
    }
    alerts.add(message);
    return true;
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
