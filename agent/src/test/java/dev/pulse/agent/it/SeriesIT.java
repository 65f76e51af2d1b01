package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.VectorHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.ContractSchemas;
import dev.pulse.testing.HeadlessChromium;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The agent's per-second series, end to end: a host runs under the agent, then a client asks for
 * the series and finds the seconds the stream carried; a page opened later starts its charts then.
 */
class SeriesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String POOL = "seriespool";

  @Test
  void aClientAskingLaterGetsThePoolsSecondsAsTheStreamCarriedThem() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false,"
            + "autoscale.enabled=false,pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(),
        POOL, "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient live = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      List<JsonNode> carried = new ArrayList<>();
      awaitStats(live, carried, 4, 6);
      send(commands, "resize 7");
      awaitStats(live, carried, 7, 6);
      send(commands, "resize 3");
      awaitStats(live, carried, 3, 6);

      JsonNode series = null;
      try (WsTestClient asker = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        asker.awaitType("welcome", WAIT);
        for (JsonNode one : askSeries(asker, 15)) {
          if ("pool".equals(one.get("kind").asText()) && POOL.equals(one.get("name").asText())) {
            series = one;
          }
        }
      }
      assertTrue(series != null, "no series of the pool");
      long start = series.get("start_ms").asLong();
      JsonNode maximum = series.get("values").get("maximum");
      assertEquals(series.get("points").asInt(), maximum.size());
      List<Long> resizes = new ArrayList<>();
      carried.stream().filter(m -> "pool_resized".equals(m.get("type").asText()))
          .forEach(m -> resizes.add(at(m)));
      assertEquals(2, resizes.size(), "two resizes carried");
      // every pool_stats away from a resize: the series holds the same maximum at its second
      int compared = 0;
      for (JsonNode message : carried) {
        long at = at(message);
        if (!"pool_stats".equals(message.get("type").asText())
            || resizes.stream().anyMatch(r -> Math.abs(r - at) < 1500)) {
          continue;
        }
        int index = (int) ((Math.floorDiv(at, 1000) * 1000 - start) / 1000);
        // the pool's first pool_stats goes out as it is found, up to a second before its first sample
        assertTrue(index >= -1 && index < maximum.size(), "the second of " + message + " is held");
        if (index < 0) {
          continue;
        }
        assertEquals(message.get("data").get("maximum_pool_size").asInt(), maximum.get(index).asInt(),
            "the maximum at " + Instant.ofEpochMilli(at) + ": " + series);
        compared++;
      }
      assertTrue(compared >= 6, "seconds compared: " + compared);
      assertEquals(List.of(4, 7, 3), runs(maximum), "the maximum's steps, in order");
      JsonNode qps = series.get("values").get("qps");
      assertTrue(qps.get(qps.size() - 1).isNumber(), "a rate once two samples exist: " + qps);
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void aCollectionsSeriesCountsTheSearchesTheStreamCarried() throws Exception {
    int port = AgentProcess.freePort();
    int searches = 150;
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false,"
            + "autoscale.enabled=false", List.of(), AgentProcess.poolHostClasspath("pgvector"),
        VectorHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient live = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "clustered 2000");
      host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
      send(commands, "searchmany 40 " + searches + " 1 20");
      host.awaitLine(Pattern.compile("^searched " + searches + "$"), WAIT);
      for (int i = 0; i < searches; i++) {
        live.await(m -> "search_completed".equals(m.path("type").asText())
            && VectorHost.RECALL_TABLE.equals(m.get("data").get("collection").asText()), WAIT);
      }
      // the sampler covers a second once it is over: ask until every search is in
      double counted = 0;
      JsonNode series = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      try (WsTestClient asker = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        asker.awaitType("welcome", WAIT);
        while (counted < searches * 0.95 && System.nanoTime() < deadline) {
          for (JsonNode one : askSeries(asker, 5)) {
            if ("collection".equals(one.get("kind").asText())
                && VectorHost.RECALL_TABLE.equals(one.get("name").asText())) {
              series = one;
              counted = sum(one.get("values").get("searches_per_second"));
            }
          }
        }
      }
      assertTrue(series != null, "no series of the collection");
      // the seconds add up to the searches once the last is sampled; asked until 95 % are in
      assertEquals(searches, counted, searches * 0.05, "searches in the series: " + series);
      JsonNode values = series.get("values");
      int timed = 0;
      for (int i = 0; i < series.get("points").asInt(); i++) {
        JsonNode p50 = values.get("latency_p50_ms").get(i);
        if (p50.isNumber()) {
          timed++;
          assertTrue(values.get("latency_p99_ms").get(i).asDouble() >= p50.asDouble(), series.toString());
          assertEquals(10.0, values.get("rows").get(i).asDouble(), "k=10 rows each: " + series);
        }
      }
      assertTrue(timed >= 2, "seconds with searches: " + series);
      send(commands, "quit");
    }
  }

  /** The per-channel history under a real agent: a burst of searches evicts only searches. */
  @Test
  void aBurstOfSearchesEvictsNoPoolFiguresFromTheHistory() throws Exception {
    int port = AgentProcess.freePort();
    int held = 100;
    int searches = 3 * held;
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.enabled=false,"
            + "autoscale.enabled=false,pool.interval=2s,vector.events.rate=0,history.size=" + held,
        List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient live = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "setup");
      host.awaitLine(Pattern.compile("^setup done$"), WAIT);
      long firstPoolStats = live.await(m -> "pool_stats".equals(m.path("type").asText()), WAIT)
          .get("seq").asLong();
      send(commands, String.join("\n", java.util.Collections.nCopies(searches, "literal")));
      for (int i = 0; i < searches; i++) {
        live.await(m -> "search_completed".equals(m.path("type").asText()), WAIT);
      }
      try (WsTestClient late = WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT)) {
        late.awaitType("welcome", WAIT);
        late.send("{\"action\":\"resume\",\"since\":0}");
        JsonNode gap = late.awaitType("resume_gap", WAIT);
        assertEquals("[\"vector_search\"]", gap.get("data").get("channels").toString(),
            "only the searches' own history lost messages: " + gap);
        List<Long> poolSeqs = new ArrayList<>();
        // the searches' channel also carries vector_stats (one per pool.interval during the burst)
        int replayedSearchChannel = 0;
        while (true) {
          JsonNode message = late.await(m -> true, WAIT);
          String type = message.get("type").asText();
          if ("resumed".equals(type)) {
            break;
          }
          if ("pool_stats".equals(type)) {
            poolSeqs.add(message.get("seq").asLong());
          } else if ("vector_search".equals(message.path("channel").asText())) {
            replayedSearchChannel++;
          }
        }
        assertTrue(poolSeqs.contains(firstPoolStats), "the pool_stats from before the burst ("
            + firstPoolStats + ") is still held: " + poolSeqs);
        assertEquals(held, replayedSearchChannel,
            "the newest " + held + " messages of the searches' channel are held");
      }
      send(commands, "quit");
    }
  }

  @Test
  void aPageOpenedAfterTheHostRanForAMinuteStartsItsChartsThen() throws Exception {
    pageOpenedAfter(Duration.ofSeconds(75));
  }

  /** The case: the demo has run for 10 minutes before someone opens the page. */
  @Test
  @Tag("long")
  void aPageOpenedAfterTheHostRanForTenMinutesStartsItsChartsThen() throws Exception {
    pageOpenedAfter(Duration.ofMinutes(10));
  }

  private static void pageOpenedAfter(Duration run) throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page,
        List.of(), AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(),
        TestDatabase.jdbcUrl(), POOL, "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("found HikariCP pool " + POOL), WAIT);
      long found = System.currentTimeMillis();
      // light work for the whole run, so that the charts have something to draw
      send(commands, "load 2 " + run.toMillis() + " 200");
      host.awaitLine(Pattern.compile("^load done$"), run.plus(WAIT));
      ChromeDriver browser = HeadlessChromium.start();
      try {
        long opened = System.currentTimeMillis();
        browser.get("http://127.0.0.1:" + page + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> b.findElement(By.tagName("body")).getAttribute("data-series") != null);
        WebElement connections = wait.until(b -> b.findElement(
            By.cssSelector("[data-pool='" + POOL + "'] canvas[data-chart='connections']")));
        String first = wait.until(b -> {
          String value = connections.getAttribute("data-first");
          return value == null || value.isEmpty() ? null : value;
        });
        long earliest = Long.parseLong(first);
        // the chart starts about when the pool was found, the run's length before the page opened
        assertTrue(earliest <= opened - run.toMillis() + 10_000, "the chart starts "
            + (opened - earliest) / 1000 + " s before the page opened, after a run of "
            + run.toSeconds() + " s");
        assertTrue(earliest >= found - 10_000, "not before the pool existed: "
            + Instant.ofEpochMilli(earliest) + " < " + Instant.ofEpochMilli(found));
        assertTrue(Integer.parseInt(connections.getAttribute("data-points")) >= run.toSeconds() / 2,
            "points drawn: " + connections.getAttribute("data-points"));
        Files.write(Paths.get("target/dashboard-series.png"), browser.getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  /** Reads pool_stats and pool_resized of the pool until {@code count} said {@code maximum}. */
  private static void awaitStats(WsTestClient live, List<JsonNode> carried, int maximum, int count)
      throws InterruptedException {
    int seen = 0;
    while (seen < count) {
      JsonNode message = live.await(m -> ("pool_stats".equals(m.path("type").asText())
          || "pool_resized".equals(m.path("type").asText()))
          && POOL.equals(m.get("data").get("pool_name").asText()), WAIT);
      carried.add(message);
      if ("pool_stats".equals(message.get("type").asText())
          && message.get("data").get("maximum_pool_size").asInt() == maximum) {
        seen++;
      }
    }
  }

  /** Asks for the series; returns each series message's data, checked against the contract. */
  private static List<JsonNode> askSeries(WsTestClient client, int minutes)
      throws InterruptedException {
    client.send("{\"action\":\"series\",\"minutes\":" + minutes + "}");
    List<JsonNode> all = new ArrayList<>();
    while (true) {
      JsonNode message = client.await(m -> "series".equals(m.path("type").asText())
          || "series_end".equals(m.path("type").asText()), WAIT);
      ContractSchemas.assertValid(message);
      if ("series_end".equals(message.get("type").asText())) {
        assertEquals(all.size(), message.get("data").get("series").asInt());
        return all;
      }
      all.add(message.get("data"));
    }
  }

  private static long at(JsonNode message) {
    return Instant.parse(message.get("timestamp").asText()).toEpochMilli();
  }

  /** The values in order with repeats and gaps left out. */
  private static List<Integer> runs(JsonNode column) {
    List<Integer> runs = new ArrayList<>();
    for (JsonNode value : column) {
      if (value.isNumber() && (runs.isEmpty() || runs.get(runs.size() - 1) != value.asInt())) {
        runs.add(value.asInt());
      }
    }
    return runs;
  }

  private static double sum(JsonNode column) {
    double sum = 0;
    for (JsonNode value : column) {
      sum += value.asDouble(); // null reads as 0
    }
    return sum;
  }

  private static void send(Writer commands, String line) throws IOException {
    commands.write(line + "\n");
    commands.flush();
  }
}
