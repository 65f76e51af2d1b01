package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.hosts.PoolIsolationHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent never borrows from an application's pool (issue 11, part 1): with every part on (the
 * sizer and vector search both want the server's settings), a PostgreSQL pool of one connection
 * and an H2 pool of one connection keep HikariCP's own figures and counts as if the agent were not
 * there; the H2 pool gets no connection of the agent's at all; the PostgreSQL one's server settings
 * are read on a connection of the agent's own. The scenarios of HikariCP's TestMBean
 * (a second borrow from a full pool of one times out) and HikariCPCollectorTest (no active
 * connection while the application holds none) are checked here under the agent.
 */
class PoolUntouchedIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void poolsOfOneAreNeverBorrowedFromAndH2GetsNoConnectionOfTheAgents() throws Exception {
    int port = AgentProcess.freePort();
    // The sizer runs (it is what wants the server's connection limit) but may not grow the pools
    // (ceiling 1x): a reported resize is the one change the agent may make, and it would add
    // connections of HikariCP's own to the counts compared here.
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.interval=200ms,autoscale.ceiling=1x,"
        + "pool.interval=1s,dashboard.enabled=false",
        List.of(), AgentProcess.poolHostClasspath("h2"), PoolIsolationHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      // One thread does the agent's server work, pool by pool in the order found: once the second
      // pool's settings are read, anything the agent was going to do to the first is done too.
      host.awaitLine(Pattern.compile("pool iso-h2 is not PostgreSQL: the agent opens no connection to it"), WAIT);
      host.awaitLine(Pattern.compile("pool iso-pg: server settings read on a connection of the agent's own"), WAIT);
      host.awaitLine(Pattern.compile("pool iso-pg: the server accepts \\d+ connections"), WAIT);

      send(commands, "figures start");
      for (String pool : List.of("iso-h2", "iso-pg")) {
        Matcher figures = figures(host, "start", pool);
        assertEquals("0", figures.group("active"), pool + " active: " + figures.group());
        assertEquals("1", figures.group("idle"), pool + " idle: " + figures.group());
        assertEquals("1", figures.group("total"), pool + " total: " + figures.group());
        assertEquals("0", figures.group("waiting"), pool + " waiting: " + figures.group());
        assertEquals("0", figures.group("borrows"), pool + ": the application borrowed nothing yet");
      }
      assertEquals("1", host.awaitLine(Pattern.compile("^h2 connects start \\d+$"), WAIT)
          .replaceAll(".* ", ""), "H2 saw only the pool's own connection: " + host.output());

      send(commands, "hold");
      host.awaitLine(Pattern.compile("^second borrow (timed out|succeeded)$"), WAIT);
      assertEquals(1, host.count(Pattern.compile("^second borrow timed out$")), host.output());

      send(commands, "use");
      host.awaitLine(Pattern.compile("^used$"), WAIT);
      send(commands, "figures after");
      Matcher h2 = figures(host, "after", "iso-h2");
      assertEquals("1", h2.group("borrows"), "one borrow, the application's: " + h2.group());
      assertEquals("0", h2.group("active"), h2.group());
      Matcher pg = figures(host, "after", "iso-pg");
      assertEquals("3", pg.group("borrows"), "held, timed out (HikariCP records a timed-out"
          + " borrow's wait too), use; none of the agent's: " + pg.group());
      assertEquals("0", pg.group("active"), pg.group());
      assertEquals("0", pg.group("waiting"), pg.group());
      assertEquals("1", host.awaitLine(Pattern.compile("^h2 connects after \\d+$"), WAIT)
          .replaceAll(".* ", ""), host.output());

      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static Matcher figures(AgentProcess host, String tag, String pool) throws InterruptedException {
    Pattern pattern = Pattern.compile("^figures " + tag + " " + pool + " active=(?<active>\\d+)"
        + " idle=(?<idle>\\d+) total=(?<total>\\d+) waiting=(?<waiting>\\d+) borrows=(?<borrows>\\d+)"
        + " creates=(?<creates>\\d+)$");
    Matcher matcher = pattern.matcher(host.awaitLine(pattern, WAIT));
    matcher.matches();
    return matcher;
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
