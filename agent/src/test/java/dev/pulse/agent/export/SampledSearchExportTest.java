package dev.pulse.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pulse.agent.config.SettingsLoader;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The export's search histograms count every search, not every event: a sampled search_completed
 * is recorded as many times as it has searches behind it (read back from /metrics, in process).
 */
class SampledSearchExportTest {
  private static final Pattern COUNT = Pattern.compile(
      "^pulse_vector_search_duration_seconds_count\\{[^}]*db_collection_name=\"items\"[^}]*} (\\d+)",
      Pattern.MULTILINE);
  private static final Pattern ROWS = Pattern.compile(
      "^pulse_vector_search_rows_sum\\{[^}]*db_collection_name=\"items\"[^}]*} ([0-9.]+)",
      Pattern.MULTILINE);

  @Test
  void searchHistogramsCountTheSearchesEachEventStandsFor() throws Exception {
    ExportSource none = new ExportSource() {
      @Override
      public List<ExportedPool> pools() {
        return List.of();
      }

      @Override
      public double[] waitBucketBounds() {
        return new double[] {0.001};
      }
    };
    FleetExport export = FleetExport.start(SettingsLoader.load("metrics.enabled=true",
        new Properties(), Map.of()), none, Map.of());
    assertNotNull(export);
    export.accept(search(1)); // below the rate
    export.accept(search(40)); // sampled: it stands for 40 searches
    export.accept(search(null)); // an event from before sample_weight: one search
    // the events are recorded on the export's thread, and a scrape reads one instrument after
    // another: until the last search is recorded in both, one page can show it in one only
    long deadline = System.nanoTime() + 10_000_000_000L;
    String page;
    long count;
    double rows;
    do {
      Thread.sleep(20);
      page = new String(export.metricsPage().render(), StandardCharsets.UTF_8);
      count = (long) figure(COUNT, page);
      rows = figure(ROWS, page);
    } while ((count != 42 || rows != 42 * 10.0) && System.nanoTime() < deadline);
    assertEquals(42, count, page);
    assertEquals(42 * 10.0, rows, 1e-9, page);
  }

  /** The pattern's figure on the page, or -1 when the page does not show it. */
  private static double figure(Pattern pattern, String page) {
    Matcher matcher = pattern.matcher(page);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
  }

  private static Event search(Integer weight) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("collection", "items");
    data.put("search_time_ms", 2.0);
    data.put("results_count", 10);
    data.put("distance", "l2");
    if (weight != null) {
      data.put("sample_weight", weight.longValue());
    }
    return Event.now(Channel.VECTOR_SEARCH, "search_completed", data);
  }
}
