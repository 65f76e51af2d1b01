package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.WsTestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Bad settings and a busy port never break the host; each is reported clearly, once. */
class StartupFaultsIT {

  @Test
  void invalidSettingsAreReportedAndTheHostRunsUnchanged() throws Exception {
    try (AgentProcess host = AgentProcess.start(
        "port=abc,log.level=loud,system.interval=0s,prot=1", List.of("-Dpulse.history.size=-5"),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "stdin")) {
      Duration wait = Duration.ofSeconds(60);
      host.awaitLine(Pattern.compile("setting port = \"abc\" from the -javaagent arguments is invalid"
          + " \\(not a whole number\\)\\. Allowed: a whole number from 0 to 65535"), wait);
      host.awaitLine(Pattern.compile("setting log.level = \"loud\" .* Allowed: error, warn, info, debug"
          + " or off\\. Using the default, info\\."), wait);
      host.awaitLine(Pattern.compile("setting system.interval = \"0s\" .*The system monitor stays off"),
          wait);
      host.awaitLine(Pattern.compile("setting history.size = \"-5\" from system property"
          + " pulse.history.size is invalid"), wait);
      host.awaitLine(Pattern.compile("unknown setting prot .*Did you mean port\\?"), wait);
      host.awaitLine(Pattern.compile("the WebSocket stream is off"), wait);
      quit(host);
      assertEquals(0, host.awaitExit(wait), host.output());
      host.awaitLine(Pattern.compile("^host finished$"), Duration.ZERO);
    }
  }

  @Test
  void aBusyPortGivesOneClearLineAndTheHostRunsUnchanged() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      // the dashboard off: its fixed port may be taken on a shared machine, and that says another line
      try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false", List.of(),
          AgentProcess.hostClasses(), SleepingHost.class.getName(), "stdin")) {
        Pattern busy = Pattern.compile("cannot listen on 127.0.0.1:" + port + ": .*the stream is off,"
            + " the application is unaffected");
        host.awaitLine(busy, Duration.ofSeconds(60));
        quit(host);
        assertEquals(0, host.awaitExit(Duration.ofSeconds(60)), host.output());
        host.awaitLine(Pattern.compile("^host finished$"), Duration.ZERO);
        assertEquals(1, host.count(busy), host.output());
        assertEquals(1, host.stderr().size(), "only that line: " + host.output());
      }
    }
  }

  @Test
  void aTokenIsRequiredWhenSet() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",token=s3cret", List.of(),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "120")) {
      host.awaitLine(Pattern.compile("streaming on .*\\(token required\\)"), Duration.ofSeconds(60));
      try (WsTestClient refused = WsTestClient.connect("ws://127.0.0.1:" + port + "/", Duration.ofSeconds(60))) {
        String closed = refused.closed().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1008 unauthorized"), closed);
      }
      try (WsTestClient admitted = WsTestClient.connect("ws://127.0.0.1:" + port + "/?token=s3cret",
          Duration.ofSeconds(60))) {
        admitted.awaitType("system_stats", Duration.ofSeconds(60));
      }
      assertTrue(host.stderr().stream().noneMatch(line -> line.contains("s3cret")), host.output());
    }
  }

  /** The host lives until told to end: whatever the machine's speed, the agent has had its say. */
  private static void quit(AgentProcess host) throws java.io.IOException {
    host.stdin().write("quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    host.stdin().flush();
  }
}
