package dev.pulse.agent.vector;

/**
 * What makes a SQL text a pgvector similarity search: the table, the distance, and where k comes
 * from (a literal or a bound parameter). Immutable; one per distinct SQL text, cached.
 */
public final class VectorQuery {
  private final String table;
  private final Distance distance;
  private final int literalK;
  private final int kParameter;
  private final int vectorParameter;
  private final int parameterCount;

  VectorQuery(String table, Distance distance, int literalK, int kParameter, int vectorParameter,
      int parameterCount) {
    this.table = table;
    this.distance = distance;
    this.literalK = literalK;
    this.kParameter = kParameter;
    this.vectorParameter = vectorParameter;
    this.parameterCount = parameterCount;
  }

  /** The table searched, without schema or quotes; null when it is not a plain table. */
  public String table() {
    return table;
  }

  public Distance distance() {
    return distance;
  }

  /** k when the SQL has it as a literal, else -1. */
  public int literalK() {
    return literalK;
  }

  /** 1-based index of the parameter bound to k, or -1 when k is a literal. */
  public int kParameter() {
    return kParameter;
  }

  /** 1-based index of the parameter bound to the query vector in ORDER BY, or -1 (a literal). */
  public int vectorParameter() {
    return vectorParameter;
  }

  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public String toString() {
    return "VectorQuery{table=" + table + ", distance=" + distance.wireName()
        + (literalK >= 0 ? ", k=" + literalK : ", k=?" + kParameter)
        + ", vector=" + (vectorParameter > 0 ? "?" + vectorParameter : "literal") + "}";
  }
}
