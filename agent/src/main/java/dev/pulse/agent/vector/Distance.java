package dev.pulse.agent.vector;

/** pgvector's distance operators, by the names the contract uses. */
public enum Distance {
  L2("<->", "l2"),
  COSINE("<=>", "cosine"),
  INNER_PRODUCT("<#>", "inner_product"),
  L1("<+>", "l1"),
  HAMMING("<~>", "hamming"),
  JACCARD("<%>", "jaccard");

  private final String operator;
  private final String wireName;

  Distance(String operator, String wireName) {
    this.operator = operator;
    this.wireName = wireName;
  }

  public String operator() {
    return operator;
  }

  public String wireName() {
    return wireName;
  }

  /** The distance of this operator token, or null when it is no pgvector distance. */
  static Distance ofOperator(String operator) {
    for (Distance distance : values()) {
      if (distance.operator.equals(operator)) {
        return distance;
      }
    }
    return null;
  }
}
