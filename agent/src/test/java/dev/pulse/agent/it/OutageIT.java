package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.ThrowawayCluster;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started again while the application is under load: the application sees
 * only its own errors (HikariCP's and the driver's, each counted by the agent exactly), the sizer
 * stops growing for the outage, and the agent reports both edges as an alert that fires and
 * resolves.
 */
class OutageIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Time for the first failures after the stop to show: the sizer may act on older samples. */
  private static final long DETECTION_MILLIS = 1000;
  private static final String SETTINGS = "pool.interval=1s,alert.interval=250ms,"
      + "autoscale.interval=250ms,autoscale.grow.after=2,autoscale.cooldown=1s,autoscale.warmup=0s,"
      + "autoscale.ceiling=4x,autoscale.shrink.after=1000,system.interval=1h";

  private final List<JsonNode> seen = new CopyOnWriteArrayList<>();

  @Test
  void anOutageUnderLoadIsReportedAtBothEdgesWithoutGrowthAndWithExactErrorCounts()
      throws Exception {
    try (ThrowawayCluster cluster = ThrowawayCluster.start(40)) {
      int port = AgentProcess.freePort();
      String classpath = AgentProcess.poolHostClasspath();
      try (AgentProcess host = AgentProcess.start("port=" + port + "," + SETTINGS, List.of(),
          classpath, PoolLoadHost.class.getName(), cluster.jdbcUrl(), "outage", "4", "500");
          Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
          WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        host.awaitLine(Pattern.compile("found HikariCP pool outage"), WAIT);
        client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\",\"system_alerts\"]}");

        send(commands, "load 16 16000 20");
        awaitRecorded(client, m -> is(m, "pool_resized") && grew(m)); // the sizer is at work
        Thread.sleep(1500);
        Instant down = Instant.now();
        cluster.down();
        JsonNode fired = awaitRecorded(client, m -> isDatabaseAlert(m, "firing"));
        assertEquals("critical", fired.get("data").get("severity").asText());
        assertTrue(fired.get("data").get("message").asText()
            .startsWith("pool outage: database unreachable ("), fired.toString());
        Thread.sleep(3000);
        Instant up = Instant.now();
        cluster.up();
        JsonNode resolved = awaitRecorded(client, m -> isDatabaseAlert(m, "resolved"));
        assertTrue(Instant.parse(resolved.get("timestamp").asText()).isAfter(up), resolved.toString());
        host.awaitLine(Pattern.compile("^load done$"), WAIT);

        send(commands, "errors");
        Matcher errors = Pattern.compile("^errors borrow (\\d+) statement (\\d+) classes \\[(.*)]$")
            .matcher(host.awaitLine(Pattern.compile("^errors borrow"), WAIT));
        assertTrue(errors.matches());
        long failedBorrows = Long.parseLong(errors.group(1));
        long failedStatements = Long.parseLong(errors.group(2));
        assertTrue(failedBorrows + failedStatements > 0, "the outage cost the application errors");
        assertFalse(errors.group(3).contains("dev.pulse"), "the agent's own exceptions: " + errors.group(3));
        JsonNode stats = awaitRecorded(client, m -> is(m, "pool_stats")
            && m.get("data").get("failed_acquisitions").asLong() == failedBorrows
            && m.get("data").get("failed_queries").asLong() == failedStatements);
        ContractSchemas.assertValid(stats);

        List<JsonNode> growthDuringOutage = seen.stream()
            .filter(m -> is(m, "pool_resized") && grew(m))
            .filter(m -> {
              Instant at = Instant.parse(m.get("timestamp").asText());
              return at.isAfter(down.plusMillis(DETECTION_MILLIS)) && at.isBefore(up);
            }).collect(Collectors.toList());
        assertEquals(List.of(), growthDuringOutage, "grown while the database was down");
        List<String> edges = seen.stream().filter(m -> isDatabaseAlert(m, null))
            .map(m -> m.get("data").get("state").asText()).collect(Collectors.toList());
        assertEquals(List.of("firing", "resolved"), edges);
        ContractSchemas.assertValid(fired);
        ContractSchemas.assertValid(resolved);
        send(commands, "quit");
        assertEquals(0, host.awaitExit(WAIT), host.output());
      }
    }
  }

  private JsonNode awaitRecorded(WsTestClient client, java.util.function.Predicate<JsonNode> match)
      throws InterruptedException {
    return client.await(m -> {
      seen.add(m);
      return match.test(m);
    }, WAIT);
  }

  private static boolean is(JsonNode message, String type) {
    return type.equals(message.path("type").asText());
  }

  private static boolean grew(JsonNode resize) {
    return resize.get("data").get("new_size").asInt() > resize.get("data").get("old_size").asInt();
  }

  private static boolean isDatabaseAlert(JsonNode message, String state) {
    return is(message, "alert")
        && "database_unreachable:outage".equals(message.get("data").get("alert_id").asText())
        && (state == null || state.equals(message.get("data").get("state").asText()));
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
