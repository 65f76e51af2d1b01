package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index the advice names: operator class by type and distance, the column searched. */
class IndexAdviceTest {

  @Test
  void operatorClassMatchesTypeAndDistance() {
    assertEquals("vector_l2_ops", IndexAdvice.operatorClass("vector", Distance.L2));
    assertEquals("vector_cosine_ops", IndexAdvice.operatorClass("vector", Distance.COSINE));
    assertEquals("halfvec_ip_ops", IndexAdvice.operatorClass("halfvec", Distance.INNER_PRODUCT));
    assertEquals("sparsevec_l1_ops", IndexAdvice.operatorClass("sparsevec", Distance.L1));
    assertEquals("bit_hamming_ops", IndexAdvice.operatorClass("bit", Distance.HAMMING));
    assertEquals("bit_jaccard_ops", IndexAdvice.operatorClass("bit", Distance.JACCARD));
    assertNull(IndexAdvice.operatorClass("bit", Distance.L2));
    assertNull(IndexAdvice.operatorClass("vector", Distance.HAMMING));
    assertNull(IndexAdvice.operatorClass(null, Distance.L2));
    assertEquals("CREATE INDEX CONCURRENTLY ON items USING hnsw (embedding vector_l2_ops)",
        IndexAdvice.createIndex("items", "embedding", "vector_l2_ops"));
  }

  @Test
  void theColumnIsTheVectorColumnTheSqlNames() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("title_embedding", "vector");
    columns.put("embedding", "halfvec");
    assertEquals("embedding", IndexCheck.searchedColumn(columns,
        "SELECT id FROM t ORDER BY Embedding <=> '[1,2]' LIMIT 3"));
    assertEquals("title_embedding", IndexCheck.searchedColumn(columns,
        "SELECT id FROM t ORDER BY v <=> '[1,2]' LIMIT 3"));
    assertNull(IndexCheck.searchedColumn(Map.of(), "SELECT 1"));
  }

  @Test
  void thePlanIsReadFromExplainsJson() {
    String plan = "[{\"Plan\": {\"Node Type\": \"Limit\", \"Plans\": [{\"Node Type\": \"Index Scan\","
        + " \"Index Name\": \"items_embedding_idx\"}]}}]";
    assertEquals("Limit > Index Scan", IndexCheck.nodes(plan));
  }
}
