package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.FailureHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An application's failures carry a value it sent, as a literal and as a bound parameter, in
 * every place PostgreSQL puts one (key details, failing rows, quoted input, json context): with
 * default settings the value is in no message on any channel and in no line the agent logs; with
 * redact=false it is (so this test can see a leak when there is one).
 */
class RedactionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int FAILURES = 11;

  @Test
  void noBoundValueOrLiteralLeavesTheProcessByDefault() throws Exception {
    List<String> leaks = run("log.level=debug");
    assertEquals(List.of(), leaks);
  }

  @Test
  void withRedactionOffTheValuesAreThere() throws Exception {
    List<String> leaks = run("redact=false");
    assertTrue(leaks.size() >= 8, "messages carrying the value: " + leaks);
  }

  /** Runs the failures; returns the stream messages and agent log lines that carry the secret. */
  private static List<String> run(String settings) throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    List<JsonNode> messages = new ArrayList<>();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",firewall.window=1s,"
        + "system.interval=1s,pool.interval=1s,alert.interval=250ms," + settings, List.of(),
        classpath, FailureHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      commands.write("secrets\n");
      commands.flush();
      host.awaitLine(Pattern.compile("^failures " + FAILURES + "$"), WAIT);
      // every distinct failure is published; then a few more seconds of every other channel
      long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      client.await(m -> {
        messages.add(m);
        return System.nanoTime() > deadline && messages.stream()
            .filter(seen -> "error_intercepted".equals(seen.path("type").asText())).count() >= FAILURES;
      }, WAIT);
      assertTrue(messages.stream().filter(m -> "error_intercepted".equals(m.path("type").asText()))
          .count() >= FAILURES, "every failure was published: " + messages);
      commands.write("quit\n");
      commands.flush();
      host.awaitExit(WAIT);
      List<String> leaks = messages.stream().map(JsonNode::toString)
          .filter(text -> text.contains(FailureHost.SECRET) || text.contains("s3cr3t"))
          .collect(Collectors.toList());
      // the host prints none of its exceptions: any line with the value is the agent's
      host.stderr().stream().filter(line -> line.contains("s3cr3t"))
          .forEach(leaks::add);
      return leaks;
    }
  }
}
