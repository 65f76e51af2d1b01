package dev.pulse.agent.vector;

/**
 * The HNSW index to create for a search that no vector index serves: the operator class must
 * match both the column's type and the distance, or PostgreSQL ignores the index (pgvector's
 * README, "Index not used"). HNSW because it supports every type and distance pgvector has, and
 * needs no training data, unlike IVFFlat's lists.
 */
final class IndexAdvice {
  private IndexAdvice() {
  }

  /** The operator class for this column type (vector, halfvec, sparsevec, bit) and distance, or null. */
  static String operatorClass(String columnType, Distance distance) {
    if ("bit".equals(columnType)) {
      switch (distance) {
        case HAMMING:
          return "bit_hamming_ops";
        case JACCARD:
          return "bit_jaccard_ops";
        default:
          return null;
      }
    }
    if (!"vector".equals(columnType) && !"halfvec".equals(columnType)
        && !"sparsevec".equals(columnType)) {
      return null;
    }
    switch (distance) {
      case L2:
        return columnType + "_l2_ops";
      case COSINE:
        return columnType + "_cosine_ops";
      case INNER_PRODUCT:
        return columnType + "_ip_ops";
      case L1:
        return columnType + "_l1_ops";
      default:
        return null;
    }
  }

  /** The statement that creates the index (CONCURRENTLY: a live table keeps taking writes). */
  static String createIndex(String table, String column, String operatorClass) {
    return "CREATE INDEX CONCURRENTLY ON " + table + " USING hnsw (" + column + " "
        + operatorClass + ")";
  }
}
