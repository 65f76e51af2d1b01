package dev.pulse.agent.it;

import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.agent.hosts.RedeployHost;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent holds nothing of an application after the application let go of it: a web
 * application loaded in its own class loader runs JDBC through HikariCP under the agent (every
 * feature on, recall sampling every search), closes everything, and its class loader is
 * collected. The same host without the agent shows the check itself works.
 */
class RedeployIT {
  private static final Duration WAIT = Duration.ofSeconds(150);
  private static final String DEADLINE_SECONDS = "120";

  @Test
  void anUndeployedApplicationsClassLoaderIsCollected() throws Exception {
    // pgjdbc's cleaner thread outlives its last connection by 30 s unless told otherwise
    List<String> jvm = List.of("-Dpgjdbc.config.cleanup.thread.ttl=200");
    try (AgentProcess without = AgentProcess.startWithoutAgent(jvm, AgentProcess.hostClasses(),
            RedeployHost.class.getName(), hostArgs("pulse_redeploy_plain"));
        AgentProcess with = AgentProcess.start("port=" + AgentProcess.freePort()
                + ",vector.recall.rate=1,pool.interval=1s,log.level=debug", jvm,
            AgentProcess.hostClasses(), RedeployHost.class.getName(),
            hostArgs("pulse_redeploy_agent"))) {
      without.awaitLine(Pattern.compile("^loader collected$"), WAIT);
      with.awaitLine(Pattern.compile("found HikariCP pool redeployed-pool"), WAIT);
      with.awaitLine(Pattern.compile("^app undeployed$"), WAIT);
      with.awaitLine(Pattern.compile("^loader (collected|still reachable)$"), WAIT);
      if (with.count(Pattern.compile("^loader collected$")) != 1) {
        throw new AssertionError("the agent keeps the application's class loader\n" + with.output());
      }
    }
  }

  private static String[] hostArgs(String table) {
    return List.of(TestDatabase.jdbcUrl(), DEADLINE_SECONDS, table, AgentProcess.hostClasses(),
        AgentProcess.hostLib("HikariCP"), AgentProcess.hostLib("postgresql"),
        AgentProcess.hostLib("slf4j-api")).toArray(new String[0]);
  }
}
