package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.agent.hosts.JacksonHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.WsTestClient;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A host with its own, different Jackson runs unchanged under the agent, sees none of the agent's
 * bundled libraries under their original names, and events still flow.
 */
class IsolationIT {

  @Test
  void hostKeepsItsOwnJacksonAndEventsFlow() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = String.join(File.pathSeparator, AgentProcess.hostClasses(),
        AgentProcess.hostLib("jackson-databind"), AgentProcess.hostLib("jackson-core"),
        AgentProcess.hostLib("jackson-annotations"));
    try (AgentProcess host = AgentProcess.start("port=" + port + ",system.interval=1s", List.of(),
        classpath, JacksonHost.class.getName(), "stdin")) {
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", Duration.ofSeconds(60))) {
        client.awaitType("system_stats", Duration.ofSeconds(60));
      }
      host.awaitLine(Pattern.compile("^host made a round trip$"), Duration.ofSeconds(60));
      host.stdin().write("quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      host.stdin().flush();
      assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.output());
      host.awaitLine(Pattern.compile("^host jackson 2\\.12\\.7 from .*jackson-databind-2\\.12\\.7\\.jar"), Duration.ZERO);
      host.awaitLine(Pattern.compile("^host sees org.java_websocket.WebSocket: false$"), Duration.ZERO);
      host.awaitLine(Pattern.compile("^host sees org.objectweb.asm.ClassReader: false$"), Duration.ZERO);
      host.awaitLine(Pattern.compile("^host sees org.slf4j.LoggerFactory: false$"), Duration.ZERO);
      host.awaitLine(Pattern.compile("^host finished after [1-9]\\d* round trips$"), Duration.ZERO);
      assertEquals(0, host.count(Pattern.compile("SLF4J")), host.output());
    }
  }
}
