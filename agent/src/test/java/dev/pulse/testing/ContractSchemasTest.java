package dev.pulse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schemas accept what the contract allows and refuse what it does not. */
class ContractSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEARCH = "{\"type\":\"search_completed\",\"channel\":\"vector_search\","
      + "\"seq\":3,\"timestamp\":\"2026-11-25T10:30:00.123Z\",\"data\":{\"query_id\":\"q\","
      + "\"collection\":\"docs\",\"top_k\":5,\"search_time_ms\":1.5,\"results_count\":5,"
      + "\"distance\":\"cosine\",\"ef_search\":40,\"probes\":1,\"iterative_scan\":\"off\","
      + "\"recall_estimated\":null,\"recall_samples\":0,\"sample_weight\":1}}";
  private static final String STATS = "{\"type\":\"vector_stats\",\"channel\":\"vector_search\","
      + "\"seq\":9,\"timestamp\":\"2026-11-25T10:30:05.123Z\",\"data\":{\"collection\":\"docs\","
      + "\"searches\":1200,\"searches_total\":5000,\"interval_ms\":5000,\"events\":250,"
      + "\"search_time_p50_ms\":1.2,\"search_time_p95_ms\":2.9,\"search_time_p99_ms\":4.5,"
      + "\"rows_mean\":9.5,\"short_results\":12,\"recall_estimated\":0.97,\"recall_samples\":40}}";

  @Test
  void aValidMessagePasses() throws Exception {
    assertTrue(ContractSchemas.violations(JSON.readTree(SEARCH)).isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"distance\":\"cosine\"            | \"distance\":\"dot\"",
      "\"top_k\":5                        | \"top_k\":\"5\"",
      "\"recall_estimated\":null          | \"recall_estimated\":1.5",
      ",\"recall_samples\":0              | ''",
      "2026-11-25T10:30:00.123Z           | 2026-11-25T10:30:00Z",
      "\"channel\":\"vector_search\"      | \"channel\":\"db_pool_stats\"",
      "\"seq\":3                          | \"seq\":-3",
      "\"sample_weight\":1                | \"sample_weight\":0",
      ",\"sample_weight\":1               | ''"
  })
  void whatTheContractForbidsIsRefused(String from, String to) throws Exception {
    JsonNode broken = JSON.readTree(SEARCH.replace(from.trim(), to.trim()));
    assertEquals(false, ContractSchemas.violations(broken).isEmpty(), broken.toString());
  }

  @Test
  void vectorStatsFollowsItsSchema() throws Exception {
    assertTrue(ContractSchemas.violations(JSON.readTree(STATS)).isEmpty());
    for (String[] change : new String[][] {{"\"searches\":1200", "\"searches\":0"},
        {"\"search_time_p99_ms\":4.5", "\"search_time_p99_ms\":null"},
        {"\"recall_estimated\":0.97", "\"recall_estimated\":1.2"},
        {",\"short_results\":12", ""}}) {
      JsonNode broken = JSON.readTree(STATS.replace(change[0], change[1]));
      assertEquals(false, ContractSchemas.violations(broken).isEmpty(), broken.toString());
    }
  }

  @Test
  void everyContractTypeHasASchema() throws Exception {
    for (String type : new String[] {"pool_stats", "pool_resized", "search_completed",
        "error_intercepted", "system_stats", "alert", "welcome", "subscribed", "unsubscribed",
        "resume_gap", "resumed", "pong", "error", "events_dropped", "query_stats", "slow_query",
        "connection_leak", "vector_stats"}) {
      JsonNode empty = JSON.readTree("{\"type\":\"" + type + "\"}");
      assertTrue(!ContractSchemas.violations(empty).isEmpty(), type + " has a schema that requires fields");
    }
  }
}
