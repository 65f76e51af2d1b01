package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorSearchDetectorTest {
  private final VectorSearchDetector detector = new VectorSearchDetector();

  @Test
  void eachTextIsAnalysedOnceAndCached() {
    String sql = "SELECT id FROM items ORDER BY embedding <-> ? LIMIT 5";
    VectorQuery first = detector.search(sql);
    assertSame(first, detector.search(new String(sql)), "the cached verdict, by text");
    assertNull(detector.settingChange(sql));
    assertNull(detector.search("SELECT 1"));
  }

  @Test
  void longTextsAreNeverCachedButStillRecognized() {
    StringBuilder vector = new StringBuilder("[");
    for (int i = 0; i < 1536; i++) {
      vector.append(i == 0 ? "" : ", ").append("0.123456");
    }
    String sql = "SELECT id FROM items ORDER BY embedding <=> '" + vector + "]' LIMIT 3";
    assertTrue(sql.length() > VectorSearchDetector.MAX_CACHED_SQL_LENGTH);
    VectorQuery query = detector.search(sql);
    assertEquals(3, query.literalK());
    assertFalse(query == detector.search(sql), "analysed again, not cached");
  }

  @Test
  void theCacheIsBounded() {
    for (int i = 0; i < VectorSearchDetector.MAX_ENTRIES + 500; i++) {
      assertNull(detector.search("SELECT " + i));
    }
    assertEquals(5, detector.search("SELECT id FROM t ORDER BY e <#> ? LIMIT 5").literalK());
  }

  @Test
  void theQuickLookFindsEveryOperator() {
    for (Distance distance : Distance.values()) {
      assertTrue(VectorSearchDetector.mentionsDistance("a " + distance.operator() + " b"));
    }
    assertFalse(VectorSearchDetector.mentionsDistance("a <> b AND c <= d AND e -> 'f'"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SET hnsw.ef_search = 100                               | SET hnsw.ef_search = 100",
      "set local hnsw.ef_search to 200                        | SET LOCAL hnsw.ef_search = 200",
      "SET SESSION ivfflat.probes = 10                        | SET ivfflat.probes = 10",
      "SET hnsw.iterative_scan = relaxed_order                | SET hnsw.iterative_scan = relaxed_order",
      "SET hnsw.iterative_scan = 'strict_order'               | SET hnsw.iterative_scan = strict_order",
      "SET ivfflat.probes TO DEFAULT                          | SET ivfflat.probes = DEFAULT",
      "RESET hnsw.ef_search                                   | SET hnsw.ef_search = DEFAULT",
      "RESET ALL                                              | SET ALL = DEFAULT",
      "SELECT set_config('hnsw.ef_search', '64', true)        | SET LOCAL hnsw.ef_search = 64",
      "select set_config('ivfflat.probes', ?, false)          | SET ivfflat.probes = ?1"
  })
  void settingChanges(String sql, String expected) {
    assertEquals(expected, String.valueOf(detector.settingChange(sql)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SET statement_timeout = 1000",
      "SET search_path TO public",
      "SELECT set_config('application_name', 'x', false)",
      "RESET search_path",
      "SELECT 'hnsw.ef_search'"
  })
  void otherSettingsAreIgnored(String sql) {
    assertNull(detector.settingChange(sql));
  }
}
