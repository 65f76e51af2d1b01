package dev.pulse.agent.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The console's lines for vector searches: a sampled event says what it stands for. */
class StreamFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSampledSearchSaysHowManySearchesItStandsFor() throws Exception {
    String search = "{\"type\":\"search_completed\",\"channel\":\"vector_search\",\"seq\":1,"
        + "\"timestamp\":\"2026-11-30T10:00:00.000Z\",\"data\":{\"collection\":\"docs\",\"top_k\":5,"
        + "\"search_time_ms\":1.5,\"results_count\":5,\"distance\":\"l2\",\"ef_search\":40,"
        + "\"probes\":1,\"recall_estimated\":null,\"recall_samples\":0,\"sample_weight\":%d}}";
    assertTrue(StreamFormatter.line(JSON.readTree(String.format(search, 37)))
        .endsWith("stands for 37 searches"));
    assertFalse(StreamFormatter.line(JSON.readTree(String.format(search, 1))).contains("stands for"));
  }

  @Test
  void vectorStatsShowsTheExactCountsAndPercentiles() throws Exception {
    String line = StreamFormatter.line(JSON.readTree("{\"type\":\"vector_stats\","
        + "\"channel\":\"vector_search\",\"seq\":2,\"timestamp\":\"2026-11-30T10:00:05.000Z\","
        + "\"data\":{\"collection\":\"docs\",\"searches\":1200,\"searches_total\":5000,"
        + "\"search_time_p50_ms\":1.2,\"search_time_p99_ms\":4.5,\"rows_mean\":9.5,"
        + "\"short_results\":12,\"recall_estimated\":0.97,\"recall_samples\":40}}"));
    assertTrue(line.contains("docs  searches 1200 (total 5000)  p50 1.2 ms  p99 4.5 ms  rows 9.5"
        + "  fewer than k 12  recall 0.97 (40 samples)"), line);
  }
}
