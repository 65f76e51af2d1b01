package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.StatementShapesHost;
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

/**
 * End to end: every execution of every statement is attributed to its SQL and its pool, however
 * the application keeps its statements (prepared once and reused among others, shared between
 * threads, callable, batched, in their large forms, with generated keys or result-set options, on
 * a connection handed to another thread, run on after the pool evicted its connection, a COPY
 * through the driver's own API), with exact counts, the pool's own test queries left out; and the
 * agent holds none of them once closed or dropped.
 */
class StatementShapesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ITEMS = "pulse_shapes_items";

  @Test
  void everyExecutionIsAttributedWhereverItRuns() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port
            // every search counted by its own event: none sampled (50 run back to back)
            + ",autoscale.enabled=false,pool.interval=1s,vector.recall.rate=0,vector.events.rate=0",
        // the pool's test query at every borrow: the pool's, never counted as the application's
        List.of("-Dcom.zaxxer.hikari.aliveBypassWindowMs=0"),
        AgentProcess.poolHostClasspath(), StatementShapesHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      long executed = run(host, commands, "setup", 7);

      // {command, statements it runs (each batched one counted), searches it reports}
      Object[][] shapes = {
          {"kept", 350, 50},      // 50 executions, 6 other prepared statements between each two
          {"threads", 5, 5},      // prepared on one thread, executed on another
          {"callable", 3, 3},
          {"batch", 17, 2},       // 5 + 1 + 3 + 4 + 4 batched; the searching batch ran twice
          {"large", 7, 0},        // 3 + 2 batched, 2 large updates, 2 empty batches
          {"keys", 7, 4},         // 3 inserts with generated keys, 4 searches with options
          {"handoff", 5, 4},      // all on a connection borrowed by another thread
          {"evicted", 3, 0},      // a plain statement run on after its connection was evicted
          {"copy", 2, 0},         // pgjdbc's COPY in and out
      };
      for (Object[] shape : shapes) {
        String command = (String) shape[0];
        executed += run(host, commands, command, (Integer) shape[1]);
        executed += run(host, commands, "marker", 1);
        int searches = 0;
        while (true) {
          JsonNode event = ContractSchemas.assertValid(client.awaitType("search_completed", WAIT))
              .get("data");
          if (event.get("collection").asText().equals("pulse_shapes_marker")) {
            break;
          }
          assertEquals(ITEMS, event.get("collection").asText(), command + ": " + event);
          assertEquals("shapes-pool", event.get("pool_name").asText(), command + ": " + event);
          searches++;
        }
        assertEquals((int) (Integer) shape[2], searches, command + ": searches reported");
        long expected = executed;
        JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && m.get("data").get("total_queries").asLong() >= expected, WAIT).get("data");
        assertEquals(expected, stats.get("total_queries").asLong(), command + ": " + stats);
      }
      JsonNode later = client.await(m -> "pool_stats".equals(m.path("type").asText()), WAIT);
      assertEquals(executed, later.get("data").get("total_queries").asLong(), "nothing counted twice");

      run(host, commands, "many 100000", 1000);
      run(host, commands, "dropped 100000", 0);
      commands.write("tracked\n");
      commands.flush();
      assertEquals("tracked 0", host.awaitLine(Pattern.compile("^tracked \\d+$"), WAIT),
          "statements closed or dropped are not held");
      commands.write("quit\n");
      commands.flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  /** Runs a command and returns the statements it executed, checked against {@code expected}. */
  private static int run(AgentProcess host, Writer commands, String command, int expected)
      throws Exception {
    String name = command.split(" ")[0];
    long before = host.count(Pattern.compile("^" + name + " done \\d+$"));
    commands.write(command + "\n");
    commands.flush();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (host.count(Pattern.compile("^" + name + " done \\d+$")) == before) {
      assertTrue(System.nanoTime() < deadline, command + ": no answer\n" + host.output());
      Thread.sleep(20);
    }
    List<String> done = host.stdout().stream().filter(l -> l.startsWith(name + " done "))
        .collect(java.util.stream.Collectors.toList());
    int executed = Integer.parseInt(done.get(done.size() - 1).substring(name.length() + 6));
    assertEquals(expected, executed, command + ": the host ran another number of statements");
    return executed;
  }
}
