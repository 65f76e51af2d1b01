package dev.pulse.agent.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.agent.config.SettingsLoader;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every query of docs/grafana/pulse.json names only metrics the agent really exports: the names
 * are taken from what /metrics serves once every kind of figure and event went through the export.
 * The pool's figures come from a fixed ExportSource (a stand-in for a HikariCP pool: only the
 * names are under test here; the end-to-end tests read real pools).
 */
class GrafanaDashboardTest {
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count",
      "rate", "increase", "irate", "histogram_quantile", "by", "without", "on", "ignoring", "and",
      "or", "unless", "bool", "group_left", "group_right", "topk", "bottomk", "abs", "clamp_min");

  @Test
  void everyQueryNamesAnExportedMetric() throws Exception {
    Set<String> exported = exportedSampleNames();
    JsonNode dashboard = new ObjectMapper().readTree(Paths.get(System.getProperty(
        "pulse.grafana", "../docs/grafana/pulse.json")).toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.add(variable.path("definition").asText());
      }
    }
    assertTrue(queries.size() >= 10, "the dashboard's queries: " + queries);
    for (String query : queries) {
      Set<String> names = metricNames(query);
      assertFalse(names.isEmpty(), "a query naming no metric: " + query);
      for (String name : names) {
        assertTrue(exported.contains(name), name + " (in " + query + ") is not exported; the agent"
            + " exports " + exported);
      }
    }
  }

  /** The metric names a PromQL expression reads. */
  static Set<String> metricNames(String query) {
    String stripped = query
        .replaceAll("label_values\\(([^,]*),[^)]*\\)", "$1")
        .replaceAll("\"[^\"]*\"", "")
        .replaceAll("\\{[^}]*}", "")
        .replaceAll("\\[[^]]*]", "")
        .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "")
        .replaceAll("\\$\\w+", "");
    Set<String> names = new TreeSet<>();
    Matcher identifiers = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(stripped);
    while (identifiers.find()) {
      if (!PROMQL_WORDS.contains(identifiers.group())) {
        names.add(identifiers.group());
      }
    }
    return names;
  }

  /** The sample names /metrics serves after one of each figure and event. */
  private static Set<String> exportedSampleNames() throws Exception {
    ExportSource pool = new ExportSource() {
      @Override
      public List<ExportedPool> pools() {
        return List.of(new ExportedPool("orders", 10, 2, 3, 4, 1, 100, 2, 5_000_000L, 1,
            2_000_000L, new long[] {5, 3, 0}, 9_000_000L, new long[] {1, 6, 1}));
      }

      @Override
      public double[] waitBucketBounds() {
        return new double[] {0.001, 0.01};
      }

      @Override
      public List<OperationSnapshot> operations() {
        return List.of(new OperationSnapshot("orders", "postgresql", "SELECT", "items", false,
            null, new long[] {90, 8, 0}, 5_000_000L, new long[] {2, 88, 0}, 300),
            new OperationSnapshot("orders", "postgresql", "SELECT", "items", false, "42",
            new long[] {2, 0, 0}, 100_000L, null, 0));
      }

      @Override
      public double[] durationBounds() {
        return new double[] {0.001, 0.01};
      }

      @Override
      public double[] rowBounds() {
        return new double[] {0, 10};
      }
    };
    FleetExport export = FleetExport.start(SettingsLoader.load("metrics.enabled=true",
        new Properties(), Map.of()), pool, Map.of());
    assertNotNull(export);
    Map<String, Object> search = new LinkedHashMap<>();
    search.put("collection", "items");
    search.put("search_time_ms", 3.5);
    search.put("results_count", 10);
    search.put("distance", "cosine");
    search.put("ef_search", 40);
    search.put("probes", 1);
    search.put("recall_estimated", 0.93);
    search.put("pool_name", "orders");
    export.accept(Event.now(Channel.VECTOR_SEARCH, "search_completed", search));
    export.accept(Event.now(Channel.DB_POOL_STATS, "pool_resized",
        Map.of("pool_name", "orders", "old_size", 10, "new_size", 12, "reason", "high load")));
    export.accept(Event.now(Channel.ERROR_FIREWALL, "error_intercepted",
        Map.of("error_type", "deadlock", "error_scene", "query", "count", 1)));
    export.accept(Event.now(Channel.SYSTEM_ALERTS, "alert",
        Map.of("alert_id", "heap", "metric", "heap", "state", "firing")));
    long deadline = System.nanoTime() + 10_000_000_000L;
    // Scrape until the last event handed over shows. A scrape reads the instruments one after
    // another, so the one that first shows the last event may have read an earlier event's
    // instrument just before it was recorded: one more scrape, begun after, sees them all.
    Set<String> names = new TreeSet<>();
    do {
      names.addAll(scrape(export));
      Thread.sleep(20);
    } while (!names.contains("pulse_alerts_firing") && System.nanoTime() < deadline);
    names.addAll(scrape(export));
    return names;
  }

  private static Set<String> scrape(FleetExport export) throws Exception {
    return sampleNames(new String(export.metricsPage().render(), StandardCharsets.UTF_8));
  }

  private static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
