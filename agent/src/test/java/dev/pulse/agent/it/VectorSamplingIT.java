package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.VectorHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end, in a separate JVM on real PostgreSQL + pgvector: above vector.events.rate a
 * collection's search_completed are sampled and their weights add up to the searches run, while
 * vector_stats counts every one; below it every search has its event. The counts are exact
 * whatever the machine's speed: only the rate's own windows are waited out. One host serves both
 * cases; each counts only what its own client received after its welcome, from its own searches
 * (the previous case's are all reported before it ends), so they run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorSamplingIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String COLLECTION = VectorHost.RECALL_TABLE;
  /** vector.events.rate: far below what a burst reaches on any machine. */
  private static final int RATE = 5;

  private final int port = AgentProcess.freePort();
  private AgentProcess host;
  private Writer commands;

  @BeforeAll
  void startHost() throws Exception {
    host = AgentProcess.start("port=" + port + ",autoscale.enabled=false,"
            + "vector.events.rate=" + RATE + ",pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
    commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
    host.awaitLine(Pattern.compile("^host ready$"), WAIT);
    send(commands, "clustered 500");
    host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
  }

  @AfterAll
  void stopHost() throws Exception {
    if (host == null) {
      return;
    }
    try {
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    } finally {
      host.close();
    }
  }

  @Test
  void aboveTheRateEventsAreSampledAndTheirWeightsAndVectorStatsCountEverySearch()
      throws Exception {
    try (WsTestClient client = subscribed()) {
      Seen seen = new Seen(client);
      int burst = 1000; // as fast as the host can: far above 5 a second on any machine
      send(commands, "searchmany 40 " + burst + " 1 0");
      host.awaitLine(Pattern.compile("^searched " + burst + "$"), WAIT);
      // Past the rate's own window (one event each 200 ms, a burst of 5), so the next search is
      // sure to get an event: it carries every search of the collection that had none.
      Thread.sleep(1_000);
      send(commands, "searchmany 40 1 2 0");
      host.awaitLine(Pattern.compile("^searched 1$"), WAIT);
      int searches = burst + 1;

      seen.until(() -> seen.weights >= searches && seen.statsSearches >= searches);
      assertEquals(searches, seen.weights, "the weights of the events add up to the searches");
      assertEquals(searches, seen.statsSearches, "the intervals' searches add up to them");
      assertEquals(searches, seen.statsTotal - seen.totalBefore,
          "vector_stats' total grew by as much: " + seen.lastStats);
      assertTrue(seen.events < searches / 10, seen.events + " events for " + searches + " searches");
      assertTrue(seen.maxWeight > 1, "sampled events stand for more than one search");
      assertEquals(seen.events, seen.statsEvents, "vector_stats counts the events that went");
      JsonNode stats = seen.lastStats;
      assertTrue(stats.get("search_time_p50_ms").asDouble() > 0, stats.toString());
      assertTrue(stats.get("search_time_p99_ms").asDouble()
          >= stats.get("search_time_p50_ms").asDouble(), stats.toString());
      double rows = seen.firstStats.get("rows_mean").asDouble();
      assertTrue(rows > 0 && rows <= 10, "k 10: " + seen.firstStats);
    }
  }

  @Test
  void belowTheRateEverySearchHasItsEventOfWeightOne() throws Exception {
    try (WsTestClient client = subscribed()) {
      Seen seen = new Seen(client);
      int searches = 12;
      // 250 ms apart at least: under 4 a second, below the rate of 5
      send(commands, "searchmany 40 " + searches + " 1 " + (1000 / (RATE - 1)));
      host.awaitLine(Pattern.compile("^searched " + searches + "$"), WAIT);

      seen.until(() -> seen.events >= searches && seen.statsSearches >= searches);
      assertEquals(searches, seen.events, "one event per search");
      assertEquals(1, seen.maxWeight, "each stands for itself");
      assertEquals(searches, seen.weights);
      assertEquals(searches, seen.statsSearches);
      assertEquals(searches, seen.statsTotal - seen.totalBefore);
      assertEquals(searches, seen.statsEvents);
    }
  }

  /** A client of the vector_search channel only, welcomed (what came before is not its case's). */
  private WsTestClient subscribed() throws Exception {
    WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT);
    client.send("{\"action\":\"subscribe\",\"channels\":[\"vector_search\"]}");
    client.awaitType("subscribed", WAIT);
    return client;
  }

  /**
   * The collection's search_completed and vector_stats published after the client's welcome, each
   * message once (by seq): the collection's state sent on connect belongs to an earlier case.
   */
  private static final class Seen {
    final WsTestClient client;
    final Set<Long> seqs = new HashSet<>();
    long events;
    long weights;
    long maxWeight;
    long statsSearches;
    long statsTotal;
    /** vector_stats' total before the first search counted here. */
    long totalBefore = -1;
    long statsEvents;
    JsonNode lastStats;
    JsonNode firstStats;

    Seen(WsTestClient client) {
      this.client = client;
    }

    void until(java.util.function.BooleanSupplier done) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> last = new ArrayList<>();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("weights " + weights + ", vector_stats searches " + statsSearches
              + " after " + WAIT + "; last: " + last);
        }
        JsonNode message = client.await(m -> (m.path("type").asText().equals("search_completed")
            || m.path("type").asText().equals("vector_stats"))
            && COLLECTION.equals(m.path("data").path("collection").asText()), WAIT);
        ContractSchemas.assertValid(message);
        long seq = message.get("seq").asLong();
        if (seq <= client.welcomeSeq() || !seqs.add(seq)) {
          continue; // the collection's state as of the connect, or sent again
        }
        last.add(message.toString());
        if (last.size() > 5) {
          last.remove(0);
        }
        JsonNode data = message.get("data");
        if (message.get("type").asText().equals("search_completed")) {
          events++;
          long weight = data.get("sample_weight").asLong();
          weights += weight;
          maxWeight = Math.max(maxWeight, weight);
        } else {
          statsSearches += data.get("searches").asLong();
          statsTotal = Math.max(statsTotal, data.get("searches_total").asLong());
          statsEvents += data.get("events").asLong();
          lastStats = data;
          if (firstStats == null) {
            firstStats = data;
            totalBefore = data.get("searches_total").asLong() - data.get("searches").asLong();
          }
        }
      }
    }
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
