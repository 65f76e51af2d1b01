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
import org.junit.jupiter.api.Test;

/**
 * End to end, in a separate JVM on real PostgreSQL + pgvector: above vector.events.rate a
 * collection's search_completed are sampled and their weights add up to the searches run, while
 * vector_stats counts every one; below it every search has its event. The counts are exact
 * whatever the machine's speed: only the rate's own windows are waited out.
 */
class VectorSamplingIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String COLLECTION = VectorHost.RECALL_TABLE;

  @Test
  void aboveTheRateEventsAreSampledAndTheirWeightsAndVectorStatsCountEverySearch()
      throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false,"
            + "vector.events.rate=5,pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      Seen seen = new Seen();
      start(host, commands, client);
      int burst = 1000; // as fast as the host can: far above 5 a second on any machine
      send(commands, "searchmany 40 " + burst + " 1 0");
      host.awaitLine(Pattern.compile("^searched " + burst + "$"), WAIT);
      // Past the rate's own window (one event each 200 ms, a burst of 5), so the next search is
      // sure to get an event: it carries every search of the collection that had none.
      Thread.sleep(1_000);
      send(commands, "searchmany 40 1 2 0");
      host.awaitLine(Pattern.compile("^searched 1$"), WAIT);
      int searches = burst + 1;

      seen.until(client, () -> seen.weights >= searches && seen.statsTotal >= searches);
      assertEquals(searches, seen.weights, "the weights of the events add up to the searches");
      assertEquals(searches, seen.statsTotal, "vector_stats' total: " + seen.lastStats);
      assertEquals(searches, seen.statsSearches, "the intervals' searches add up to it");
      assertTrue(seen.events < searches / 10, seen.events + " events for " + searches + " searches");
      assertTrue(seen.maxWeight > 1, "sampled events stand for more than one search");
      assertEquals(seen.events, seen.statsEvents, "vector_stats counts the events that went");
      JsonNode stats = seen.lastStats;
      assertTrue(stats.get("search_time_p50_ms").asDouble() > 0, stats.toString());
      assertTrue(stats.get("search_time_p99_ms").asDouble()
          >= stats.get("search_time_p50_ms").asDouble(), stats.toString());
      double rows = seen.firstBurstStats.get("rows_mean").asDouble();
      assertTrue(rows > 0 && rows <= 10, "k 10: " + seen.firstBurstStats);
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void belowTheDefaultRateEverySearchHasItsEventOfWeightOne() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",autoscale.enabled=false,"
            + "pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      Seen seen = new Seen();
      start(host, commands, client);
      int searches = 40;
      // 40 ms apart at least: under 25 a second, half the default rate of 50
      send(commands, "searchmany 40 " + searches + " 1 40");
      host.awaitLine(Pattern.compile("^searched " + searches + "$"), WAIT);

      seen.until(client, () -> seen.events >= searches && seen.statsTotal >= searches);
      assertEquals(searches, seen.events, "one event per search");
      assertEquals(1, seen.maxWeight, "each stands for itself");
      assertEquals(searches, seen.weights);
      assertEquals(searches, seen.statsTotal);
      assertEquals(searches, seen.statsEvents);
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static void start(AgentProcess host, Writer commands, WsTestClient client)
      throws Exception {
    host.awaitLine(Pattern.compile("^host ready$"), WAIT);
    client.send("{\"action\":\"subscribe\",\"channels\":[\"vector_search\"]}");
    client.awaitType("subscribed", WAIT);
    send(commands, "clustered 500");
    host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
  }

  /** The collection's search_completed and vector_stats, each message once (by seq). */
  private static final class Seen {
    final Set<Long> seqs = new HashSet<>();
    long events;
    long weights;
    long maxWeight;
    long statsSearches;
    long statsTotal;
    long statsEvents;
    JsonNode lastStats;
    JsonNode firstBurstStats;

    void until(WsTestClient client, java.util.function.BooleanSupplier done) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> last = new ArrayList<>();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("weights " + weights + ", vector_stats total " + statsTotal
              + " after " + WAIT + "; last: " + last);
        }
        JsonNode message = client.await(m -> (m.path("type").asText().equals("search_completed")
            || m.path("type").asText().equals("vector_stats"))
            && COLLECTION.equals(m.path("data").path("collection").asText()), WAIT);
        ContractSchemas.assertValid(message);
        if (!seqs.add(message.get("seq").asLong())) {
          continue; // the collection's state, sent again
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
          if (firstBurstStats == null) {
            firstBurstStats = data;
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
