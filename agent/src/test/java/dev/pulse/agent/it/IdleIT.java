package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ThreadDump;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * End to end: in an idle JVM under the agent (no client, no database, the dashboard on), the agent
 * added at most three Java threads, and every one sleeps until there is work: parked with no
 * timeout, or blocked in a selector or an accept; over a quiet spell none of them is switched onto a CPU even once (read
 * from /proc where there is one); and after that spell the first client is served at once.
 */
class IdleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration QUIET_SPELL = Duration.ofSeconds(10);
  private static final int MAX_IDLE_THREADS = 3;
  /** Where a RUNNABLE thread is really asleep in the kernel, waiting for a socket. */
  private static final Pattern BLOCKED_ON_SOCKETS = Pattern.compile(
      "sun\\.nio\\.ch\\.(EPoll\\.wait|Net\\.accept|Net\\.poll)|java\\.net\\.PlainSocketImpl\\.socketAccept");
  /** The JVM's own threads that come and go with its load, agent or not. */
  private static final Pattern JVM_THREADS =
      Pattern.compile("C\\d CompilerThread\\d+|Attach Listener|Sweeper thread");

  @Test
  void anIdleAgentsThreadsSleepWithoutATimeoutAndTheFirstClientIsServedAfterAQuietSpell()
      throws Exception {
    Set<String> hostThreads = new HashSet<>();
    try (AgentProcess plain = AgentProcess.startWithoutAgent(List.of(), AgentProcess.hostClasses(),
        SleepingHost.class.getName(), "120")) {
      plain.awaitLine(Pattern.compile("host alive"), WAIT);
      ThreadDump.of(plain.pid()).forEach(thread -> hostThreads.add(thread.name));
    }

    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=0", List.of(),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "300")) {
      host.awaitLine(Pattern.compile("dashboard on http"), WAIT);

      // once start-up is over, every agent thread sleeps (start-up's own work may take a moment)
      List<ThreadDump.Entry> agentThreads = new ArrayList<>();
      List<String> awake = List.of("none read yet");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!awake.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        agentThreads.clear();
        for (ThreadDump.Entry thread : ThreadDump.of(host.pid())) {
          if (!hostThreads.contains(thread.name) && !JVM_THREADS.matcher(thread.name).matches()) {
            agentThreads.add(thread);
          }
        }
        awake = agentThreads.stream().filter(thread -> !asleep(thread)).map(Object::toString)
            .collect(Collectors.toList());
      }
      assertTrue(awake.isEmpty(), "agent threads not asleep: " + awake + " of " + agentThreads);
      assertTrue(agentThreads.stream().anyMatch(t -> t.name.equals("pulse-scheduler")),
          "the agent's threads were found: " + agentThreads);
      // what waits for the outside world (the stream's first client, the page's acceptor) and the
      // scheduler; the stream's server and the features' threads start with their first work
      assertTrue(agentThreads.size() <= MAX_IDLE_THREADS,
          "at most " + MAX_IDLE_THREADS + " threads added when idle: " + agentThreads);
      assertFalse(agentThreads.stream().anyMatch(t -> t.name.startsWith("pulse-start")),
          "start-up is over: " + agentThreads);

      // a quiet spell: no agent thread runs at all (a timed wait or a poll would)
      Map<String, Long> before = switches(host.pid(), agentThreads);
      Thread.sleep(QUIET_SPELL.toMillis());
      Map<String, Long> after = switches(host.pid(), agentThreads);
      if (!before.isEmpty()) {
        assertEquals(before, after, "context switches of the agent's threads over "
            + QUIET_SPELL.toSeconds() + " s of nothing to do");
      }

      // the first client after the spell: welcome, then the JVM's figures computed for it
      try (WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        client.awaitType("welcome", WAIT);
        long connected = System.nanoTime();
        client.await(m -> "system_stats".equals(m.path("type").asText())
            && m.get("data").get("uptime").asLong() >= QUIET_SPELL.toSeconds(), WAIT);
        assertTrue(System.nanoTime() - connected < WAIT.toNanos());
      }
    }
  }

  private static boolean asleep(ThreadDump.Entry thread) {
    return thread.state.startsWith("WAITING")
        || thread.state.equals("RUNNABLE") && BLOCKED_ON_SOCKETS.matcher(thread.topFrame).find();
  }

  /** Per thread, its context switches so far; empty where /proc cannot tell. */
  private static Map<String, Long> switches(long pid, List<ThreadDump.Entry> threads)
      throws Exception {
    Map<String, Long> switches = new LinkedHashMap<>();
    for (ThreadDump.Entry thread : threads) {
      long count = ThreadDump.contextSwitches(pid, thread.nativeId);
      if (count < 0) {
        return Map.of();
      }
      switches.put(thread.name + " (" + thread.nativeId + ")", count);
    }
    return switches;
  }
}
