package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.VectorHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak run (profile {@code long}; {@code -Dpulse.soak.minutes}, 10 by default): a pool
 * application cycling through bursts, failures and quiet, and a pgvector application searching
 * with recall sampling, each under the agent with a client on the stream the whole time. Every
 * minute each JVM is collected and its live heap, threads and open files read from outside; at the
 * end they must be where they were after the first minute, and every event the agent accepted must
 * have reached the client, in order, none dropped.
 */
@Tag("long")
class SoakIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SETTINGS = "pool.interval=1s,system.interval=5s,alert.interval=1s,"
      + "autoscale.cooldown=2s,autoscale.warmup=0s,firewall.window=5s,vector.recall.rate=0.2";

  @Test
  void heapThreadsAndFilesStaySteadyAndNoAcceptedEventIsLost() throws Exception {
    long minutes = Long.getLong("pulse.soak.minutes", 10);
    String classpath = AgentProcess.poolHostClasspath("pgvector");
    int poolPort = AgentProcess.freePort();
    int vectorPort = AgentProcess.freePort();
    try (AgentProcess pools = AgentProcess.start("port=" + poolPort + "," + SETTINGS,
        List.of("-Xmx256m"), classpath, PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(),
        "soak", "4");
        AgentProcess vectors = AgentProcess.start("port=" + vectorPort + "," + SETTINGS,
            List.of("-Xmx256m"), classpath, VectorHost.class.getName(), TestDatabase.jdbcUrl());
        Writer poolCommands = new OutputStreamWriter(pools.stdin(), StandardCharsets.UTF_8);
        Writer vectorCommands = new OutputStreamWriter(vectors.stdin(), StandardCharsets.UTF_8)) {
      pools.awaitLine(Pattern.compile("found HikariCP pool soak"), WAIT);
      send(vectorCommands, "clustered 2000");
      vectors.awaitLine(Pattern.compile("^clustered done$"), WAIT);
      Watched poolStream = new Watched(pools, poolPort);
      Watched vectorStream = new Watched(vectors, vectorPort);
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
      long nextSample = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      int cycle = 0;
      while (System.nanoTime() < end) {
        cycle++;
        send(poolCommands, "load 8 4000 20");
        send(poolCommands, "fail 300");
        send(poolCommands, "mixed");
        send(vectorCommands, "searchmany 40 100 " + cycle + " 20");
        vectors.awaitLine(Pattern.compile("^searched 100$"), WAIT);
        pools.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        pools.stdout().clear();
        vectors.stdout().clear();
        Thread.sleep(3000); // quiet: the sizer shrinks, alerts resolve
        poolStream.drain();
        vectorStream.drain();
        if (System.nanoTime() > nextSample) {
          poolStream.sample();
          vectorStream.sample();
          nextSample += TimeUnit.MINUTES.toNanos(1);
        }
      }
      poolStream.sample();
      vectorStream.sample();
      poolStream.report("pool host");
      vectorStream.report("vector host");
      poolStream.assertSteadyAndComplete();
      vectorStream.assertSteadyAndComplete();
      send(poolCommands, "quit");
      send(vectorCommands, "quit");
    }
  }

  /** One host under the agent, its stream client and its minute-by-minute figures. */
  private static final class Watched {
    private final AgentProcess host;
    private final WsTestClient client;
    private final List<long[]> samples = new ArrayList<>(); // live heap KB, threads, open files
    private long lastSeq = -1;
    private long events;
    private long gaps;
    private long drops;

    Watched(AgentProcess host, int port) throws Exception {
      this.host = host;
      this.client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT);
      lastSeq = client.awaitType("welcome", WAIT).get("data").get("last_seq").asLong();
    }

    /** Takes every message received so far, checking that seqs follow one another. */
    void drain() throws InterruptedException {
      client.send("{\"action\":\"ping\"}");
      client.await(message -> {
        String type = message.path("type").asText();
        if ("events_dropped".equals(type)) {
          drops++;
        }
        if (!"control".equals(message.path("channel").asText()) && message.has("seq")) {
          long seq = message.get("seq").asLong();
          if (seq <= lastSeq) {
            return false; // the state sent on connect repeats older events
          }
          if (seq != lastSeq + 1) {
            gaps++;
          }
          lastSeq = seq;
          events++;
        }
        return "pong".equals(type);
      }, WAIT);
    }

    void sample() throws Exception {
      long pid = host.pid();
      String jcmd = Paths.get(AgentProcess.javaExecutable()).resolveSibling("jcmd").toString();
      run(jcmd, String.valueOf(pid), "GC.run");
      Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd, String.valueOf(pid),
          "GC.heap_info"));
      assertTrue(used.find(), "heap info of " + pid);
      long threads = Files.readAllLines(Paths.get("/proc/" + pid + "/status")).stream()
          .filter(line -> line.startsWith("Threads:"))
          .mapToLong(line -> Long.parseLong(line.substring(8).trim())).findFirst().orElse(-1);
      long files;
      try (Stream<Path> fds = Files.list(Paths.get("/proc/" + pid + "/fd"))) {
        files = fds.count();
      }
      samples.add(new long[] {Long.parseLong(used.group(1)), threads, files});
    }

    void report(String name) {
      StringBuilder table = new StringBuilder(name + ": events " + events + ", seq gaps " + gaps
          + ", drops " + drops + "\nminute  live heap KB  threads  open files\n");
      for (int i = 0; i < samples.size(); i++) {
        long[] s = samples.get(i);
        table.append(String.format("%6d  %12d  %7d  %10d%n", i + 1, s[0], s[1], s[2]));
      }
      System.out.println(table);
    }

    void assertSteadyAndComplete() {
      assertTrue(samples.size() >= 3, "too short a run to judge: " + samples.size() + " samples");
      assertTrue(events > 0);
      assertEquals(0, gaps, "events lost");
      assertEquals(0, drops, "events dropped");
      long[] first = samples.get(1); // after a minute of warm-up
      long[] last = samples.get(samples.size() - 1);
      assertTrue(last[0] - first[0] < 16 * 1024, "live heap grew from " + first[0] + " KB to "
          + last[0] + " KB");
      assertTrue(Math.abs(last[1] - first[1]) <= 3, "threads " + first[1] + " -> " + last[1]);
      assertTrue(Math.abs(last[2] - first[2]) <= 5, "open files " + first[2] + " -> " + last[2]);
    }

    private static String run(String... command) throws Exception {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return output;
    }
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
