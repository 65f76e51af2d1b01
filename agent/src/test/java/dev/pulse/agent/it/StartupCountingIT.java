package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.AttachRaceHost;
import dev.pulse.agent.hosts.FirstStatementHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.PausedThread;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No statement goes uncounted however the agent's start and the host's JDBC classes interleave:
 * under -javaagent, a host that uses its pool from the first instruction of main (its JDBC classes
 * the first the agent weaves, the stream not up yet), also with the agent's start stopped before
 * its features listen; loaded into a running host, JDBC classes the
 * host loads while the agent installs itself (woven as they load, or found among the loaded
 * classes and retransformed: either way counted once the agent is in).
 */
class StartupCountingIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * With the classes the agent's build wove (the tested HikariCP's and pgjdbc's), and with those
   * woven as they load: both ways must count every statement.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void statementsRunAtTheFirstInstructionOfMainAreCounted(boolean prewoven) throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",autoscale.enabled=false,pool.interval=1s,log.level=debug,jdbc.prewoven=" + prewoven,
        List.of(), AgentProcess.poolHostClasspath(), FirstStatementHost.class.getName(),
        TestDatabase.jdbcUrl())) {
      host.awaitLine(Pattern.compile("^host executed 5$"), WAIT);
      for (String woven : List.of("com.zaxxer.hikari.pool.HikariPool",
          "org.postgresql.jdbc.PgPreparedStatement")) {
        // the build's weaving, or the advised methods of weaving as the class loads
        host.awaitLine(Pattern.compile("instrumented " + Pattern.quote(woven)
            + (prewoven ? " \\(woven at the agent's build\\)$" : " \\[")), WAIT);
      }
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        assertFiveCounted(client, "first-pool");
      }
      quit(host);
    }
  }

  /**
   * The agent's start held just before its features listen (a debugger stops its start thread
   * there): the host's first JDBC event waits on the host's thread, in the held events, rather
   * than its first JDBC class; once the start goes on, every statement is counted.
   */
  @Test
  void statementsBeforeTheFeaturesListenWaitAndAreCounted() throws Exception {
    int port = AgentProcess.freePort();
    int debugPort = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",autoscale.enabled=false,pool.interval=1s", List.of(PausedThread.jvmOption(debugPort)),
        AgentProcess.poolHostClasspath(), FirstStatementHost.class.getName(),
        TestDatabase.jdbcUrl())) {
      host.awaitLine(PausedThread.LISTENING, WAIT);
      try (PausedThread start = PausedThread.at(debugPort,
          "dev.pulse.agent.instrumentation.Instrumenter", "listen", WAIT)) {
        assertEquals("pulse-start", start.threadName());
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> stack = start.stackOf("main");
        while (!stack.contains("dev.pulse.agent.instrumentation.HeldEvents")) {
          assertEquals(0, host.count(Pattern.compile("^host executed")), "ran on: " + stack);
          assertTrue(System.nanoTime() < deadline, "main never waited in the held events: " + stack);
          Thread.sleep(20);
          stack = start.stackOf("main");
        }
        assertEquals(0, host.count(Pattern.compile("^host executed")), host.output());
      }
      host.awaitLine(Pattern.compile("^host executed 5$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        assertFiveCounted(client, "first-pool");
      }
      quit(host);
    }
  }

  @Test
  void classesLoadedWhileTheAgentInstallsItselfAreInstrumented() throws Exception {
    // HikariCP's housekeeper runs every second instead of every 30: it is where a pool started
    // before the instrumentation is found
    try (AgentProcess host = AgentProcess.startWithoutAgent(
        List.of("-Dcom.zaxxer.hikari.housekeeping.periodMs=1000"), AgentProcess.poolHostClasspath(),
        AttachRaceHost.class.getName(), TestDatabase.jdbcUrl())) {
      host.awaitLine(Pattern.compile("^host started$"), WAIT);
      int port = AgentProcess.freePort();
      try (AgentProcess attach = AgentProcess.agentCommand("attach", String.valueOf(host.pid()),
          "port=" + port + ",autoscale.enabled=false,pool.interval=1s")) {
        assertEquals(0, attach.awaitExit(WAIT), attach.output());
      }
      host.awaitLine(Pattern.compile("^classes loaded$"), WAIT);
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        host.awaitLine(Pattern.compile("found HikariCP pool race-pool"), WAIT);
        host.stdin().write("run\n".getBytes(StandardCharsets.UTF_8));
        host.stdin().flush();
        host.awaitLine(Pattern.compile("^host executed 5$"), WAIT);
        assertFiveCounted(client, "race-pool");
      }
      quit(host);
    }
  }

  /**
   * The pool's first figures may predate the statements (it is found as it starts): the count
   * must reach 5, and a later report must not have gone past it.
   */
  private static void assertFiveCounted(WsTestClient client, String pool) throws Exception {
    client.await(m -> "pool_stats".equals(m.path("type").asText())
        && pool.equals(m.get("data").path("pool_name").asText())
        && m.get("data").get("total_queries").asLong() >= 5, WAIT);
    JsonNode later = client.await(m -> "pool_stats".equals(m.path("type").asText())
        && pool.equals(m.get("data").path("pool_name").asText()), WAIT).get("data");
    assertEquals(5, later.get("total_queries").asLong(), later.toString());
  }

  private static void quit(AgentProcess host) throws Exception {
    host.stdin().write("quit\n".getBytes(StandardCharsets.UTF_8));
    host.stdin().flush();
    assertEquals(0, host.awaitExit(WAIT), host.output());
  }
}
