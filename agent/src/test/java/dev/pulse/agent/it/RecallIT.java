package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.VectorHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's recall estimate against the recall this test measures itself, on data where HNSW
 * really misses at a low ef_search.
 */
class RecallIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ROWS = 10_000;
  private static final int SEARCHES = 60;

  @Test
  void theEstimateIsWithinFiveHundredthsOfTheMeasuredRecall() throws Exception {
    int port = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath("pgvector");
    try (AgentProcess host = AgentProcess.start("port=" + port
            + ",autoscale.enabled=false,vector.recall.rate=1,vector.recall.budget=1000", List.of(),
        classpath, VectorHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "clustered " + ROWS);
      host.awaitLine(Pattern.compile("^clustered done$"), WAIT);

      double[] truth = new double[2];
      double[] estimate = new double[2];
      int[] efSearch = {10, 200};
      for (int run = 0; run < 2; run++) {
        // paced so that every search is sampled: the agent drops samples past a short queue
        send(commands, "searchmany " + efSearch[run] + " " + SEARCHES + " " + (run + 1) + " 40");
        host.awaitLine(Pattern.compile("^searched " + SEARCHES + "$"), WAIT);
        double[] recalls = measuredRecalls(efSearch[run], run + 1);
        JsonNode last = awaitEstimate(host, commands, client, efSearch[run], run + 1);
        // The estimate rests on the run's searches and then on repeats of its first query (the
        // probes that carry the estimate out); weigh the measured recalls the same way.
        int samples = last.get("recall_samples").asInt();
        double sum = 0;
        for (double recall : recalls) {
          sum += recall;
        }
        truth[run] = (sum + (samples - SEARCHES) * recalls[0]) / samples;
        estimate[run] = last.get("recall_estimated").asDouble();
      }
      assertTrue(truth[0] < truth[1] - 0.05, "the data must make ef_search 10 miss: "
          + truth[0] + " vs " + truth[1]);
      for (int run = 0; run < 2; run++) {
        System.out.printf("ef_search %d: measured recall %.3f, agent's estimate %.3f%n",
            efSearch[run], truth[run], estimate[run]);
        assertEquals(truth[run], estimate[run], 0.05, "ef_search " + efSearch[run]);
      }
      send(commands, "quit");
    }
  }

  /**
   * The event that carries the estimate for this ef_search once it rests on every search of the
   * run: a probe (the run's first query again, same shape) carries the estimate as it stands.
   */
  private static JsonNode awaitEstimate(AgentProcess host, Writer commands, WsTestClient client,
      int efSearch, long seed) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      send(commands, "searchmany " + efSearch + " 1 " + seed);
      last = client.await(m -> "search_completed".equals(m.path("type").asText())
          && m.get("data").get("ef_search").asInt() == efSearch
          && m.get("data").get("recall_samples").asInt() > 0, WAIT).get("data");
      if (last.get("recall_samples").asInt() >= SEARCHES) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the estimate never rested on the whole run: " + last + "\n" + host.output());
  }

  /** Recall@10 of each of the run's queries, measured here: index search against exact search. */
  private static double[] measuredRecalls(int efSearch, long seed) throws Exception {
    double[] recalls = new double[SEARCHES];
    try (Connection connection = TestDatabase.connect()) {
      connection.setAutoCommit(false);
      for (int i = 0; i < SEARCHES; i++) {
        String vector = VectorHost.query(seed, i);
        Set<Long> approximate = ids(connection, vector, "SET LOCAL hnsw.ef_search = " + efSearch);
        Set<Long> exact = ids(connection, vector, "SET LOCAL enable_indexscan = off");
        Set<Long> found = new HashSet<>(exact);
        found.retainAll(approximate);
        recalls[i] = (double) found.size() / exact.size();
      }
    }
    return recalls;
  }

  private static Set<Long> ids(Connection connection, String vector, String setting) throws Exception {
    Set<Long> ids = new HashSet<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute(setting);
      try (PreparedStatement search = connection.prepareStatement("SELECT id FROM "
          + VectorHost.RECALL_TABLE + " ORDER BY embedding <-> ?::vector LIMIT 10")) {
        search.setString(1, vector);
        try (ResultSet rows = search.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getLong(1));
          }
        }
      }
    } finally {
      connection.rollback();
    }
    return ids;
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
