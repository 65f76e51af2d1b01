package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TcpProxy;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * With fail-fast on, while the database is down threads get their exception in milliseconds
 * instead of waiting out the pool's connection timeout, and the pool works again by itself when
 * the database is back. The database "goes down" behind a TCP relay the test controls.
 */
class FailFastIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ATTEMPT = Pattern.compile("^attempt (ok|failed) (\\d+)$");

  @Test
  void threadsFailInMillisecondsWhileTheDatabaseIsDownAndRecover() throws Exception {
    URI database = URI.create(TestDatabase.jdbcUrl().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(AgentProcess.freePort(), database.getHost(),
        database.getPort() < 0 ? 5432 : database.getPort())) {
      proxy.start();
      String url = TestDatabase.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
      int port = AgentProcess.freePort();
      String classpath = AgentProcess.poolHostClasspath();
      try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false,"
              + "firewall.failfast=true,firewall.probe=2s", List.of(), classpath,
          PoolLoadHost.class.getName(), url, "guarded-pool", "2", "1500");
          Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
          WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        host.awaitLine(Pattern.compile("^host ready$"), WAIT);
        client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
        assertEquals(List.of("ok", "ok"), outcomes(attempts(host, commands, 2)));

        proxy.stop();
        // The pool's idle connections die with the relay: the first attempts may fail on them at
        // once; then one borrow waits out the pool's 1.5 s timeout and is classified unreachable
        // (on the firewall's thread, which closes the pool's gate): every attempt after it fails
        // fast. Attempts go one at a time until the slow one, whatever the machine's speed.
        List<long[]> down = new java.util.ArrayList<>();
        while (down.size() < 4 && down.stream().noneMatch(attempt -> attempt[1] >= 1000)) {
          down.addAll(attempts(host, commands, 1));
        }
        for (long[] attempt : down) {
          assertEquals(0, attempt[0], "every attempt fails while the database is down");
        }
        assertTrue(down.get(down.size() - 1)[1] >= 1000, "one borrow waits out the pool's timeout: "
            + times(down));
        host.awaitLine(Pattern.compile("pool guarded-pool: database unreachable; getConnection fails"
            + " fast"), WAIT);
        List<long[]> fast = attempts(host, commands, 6);
        for (long[] attempt : fast) {
          assertEquals(0, attempt[0], "every attempt fails while the database is down");
          // far under the pool's 1.5 s timeout, however busy the machine
          assertTrue(attempt[1] < 750, "then they fail fast: " + times(fast));
        }
        JsonNode observed = client.await(m -> m.path("data").path("error_type").asText()
            .equals("database_unreachable") && m.path("data").path("error_scene").asText()
            .equals("connection_acquire"), WAIT);
        assertEquals("observed", observed.get("data").get("status").asText());
        client.await(m -> m.path("data").path("status").asText().equals("blocked"), WAIT);

        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean recovered = false;
        while (!recovered && System.nanoTime() < deadline) {
          recovered = attempts(host, commands, 1).get(0)[0] == 1;
          Thread.sleep(200);
        }
        assertTrue(recovered, "a probe finds the database back: " + host.output());
        assertEquals(List.of("ok", "ok", "ok"), outcomes(attempts(host, commands, 3)));
        commands.write("quit\n");
        commands.flush();
        assertEquals(0, host.awaitExit(WAIT), host.output());
      }
    }
  }

  /** Runs N attempts; each is {1 for ok or 0 for failed, milliseconds}. */
  private static List<long[]> attempts(AgentProcess host, Writer commands, int n) throws Exception {
    long before = host.count(ATTEMPT);
    commands.write("attempts " + n + "\n");
    commands.flush();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (host.count(ATTEMPT) < before + n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<long[]> results = new java.util.ArrayList<>();
    for (String line : host.stdout()) {
      Matcher matcher = ATTEMPT.matcher(line);
      if (matcher.matches()) {
        results.add(new long[] {matcher.group(1).equals("ok") ? 1 : 0, Long.parseLong(matcher.group(2))});
      }
    }
    assertEquals(before + n, results.size(), host.output());
    return results.subList((int) before, results.size());
  }

  private static String times(List<long[]> attempts) {
    StringBuilder times = new StringBuilder();
    for (long[] attempt : attempts) {
      times.append(attempt[1]).append(" ms, ");
    }
    return times.toString();
  }

  private static List<String> outcomes(List<long[]> attempts) {
    List<String> outcomes = new java.util.ArrayList<>();
    for (long[] attempt : attempts) {
      outcomes.add(attempt[0] == 1 ? "ok" : "failed");
    }
    return outcomes;
  }
}
