package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.SpringProxyHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring's lazy DataSources (transaction-aware, as Spring Boot's jOOQ support wraps the pool, and
 * lazy), real, over HikariCP and PostgreSQL in a separate JVM: the statements are the pool's, and
 * only the connection the application keeps is reported held (Spring's proxies are no borrow of
 * their own: recorded, each looked held for ever).
 */
class SpringProxiesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String HOST = SpringProxyHost.class.getName();

  @ParameterizedTest
  @ValueSource(strings = {"transaction-aware", "lazy"})
  void onlyThePoolsBorrowsCount(String kind) throws Exception {
    List<String> classpath = new ArrayList<>(List.of(AgentProcess.hostClasses()));
    File[] jars = new File(System.getProperty("pulse.spring.libs", "target/spring-host-libs"))
        .listFiles((dir, name) -> name.endsWith(".jar"));
    for (File jar : jars) {
      classpath.add(jar.getPath());
    }
    int port = AgentProcess.freePort();
    List<JsonNode> leaks = new ArrayList<>();
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",pool.interval=1s,leak.threshold=1s,autoscale.enabled=false", List.of(),
        String.join(File.pathSeparator, classpath), HOST, kind, TestDatabase.jdbcUrl());
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      host.command("work", "work done", WAIT);
      client.await(m -> !recorded(leaks, m) && "pool_stats".equals(m.path("type").asText())
          && m.at("/data/total_queries").asLong() == SpringProxyHost.ROUNDS, WAIT);
      // kept past the threshold, so every connection of "work" was too
      host.command("keep", "kept", WAIT);
      JsonNode held = client.await(m -> recorded(leaks, m)
          && "held".equals(m.at("/data/status").asText()), WAIT);
      assertEquals("spring-proxy-pool", held.at("/data/pool_name").asText(), held.toString());
      // where the pool was borrowed from: at the connection's first use
      assertTrue(held.at("/data/call_site/0").asText().startsWith(HOST + ".select(")
          && held.at("/data/call_site/1").asText().startsWith(HOST + ".useAndKeep("),
          held.toString());
      host.command("return", "returned", WAIT);
      client.await(m -> recorded(leaks, m) && "returned".equals(m.at("/data/status").asText()),
          WAIT);
      assertEquals(2, leaks.size(), "only the kept connection was held: " + leaks);
      host.command("quit", null, WAIT);
      host.awaitExit(WAIT);
    }
  }

  /** True for a connection_leak message, which is kept: every await looks at every message. */
  private static boolean recorded(List<JsonNode> leaks, JsonNode message) {
    if (!"connection_leak".equals(message.path("type").asText())) {
      return false;
    }
    leaks.add(message);
    return true;
  }

}
