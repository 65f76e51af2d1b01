package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * When the host ends, the agent's servers are stopped with it: clients are told 1001 (going away)
 * instead of losing the connection, and no server thread is left blocked in its selector, where
 * HotSpot would wait 300 ms for it before ending the process (docs/benchmarks.md, start-up).
 */
class ExitIT {
  @Test
  void clientsAreToldTheHostIsGoingAway() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page, List.of(),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "stdin")) {
      host.awaitLine(Pattern.compile("dashboard on http://127.0.0.1:" + page + "/"),
          Duration.ofSeconds(60));
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/",
          Duration.ofSeconds(60))) {
        client.awaitType("welcome", Duration.ofSeconds(60));
        host.stdin().write("quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        host.stdin().flush();
        assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.output());
        String closed = client.closed().get(10, TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1001 "), "the client was told: " + closed);
      }
      assertTrue(host.stderr().stream().noneMatch(line -> line.contains("Exception")
          || line.contains(" error ") || line.contains(" warn ")), host.output());
    }
  }
}
