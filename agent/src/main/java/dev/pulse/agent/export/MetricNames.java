package dev.pulse.agent.export;

/**
 * Every metric the agent exports: the OpenTelemetry semantic conventions' database client names
 * where one exists, {@code pulse.} for the rest (docs/fleet.md lists them with their Prometheus
 * names).
 */
final class MetricNames {
  private MetricNames() {
  }

  public static final String CONNECTION_COUNT = "db.client.connection.count";
  public static final String CONNECTION_MAX = "db.client.connection.max";
  public static final String CONNECTION_IDLE_MIN = "db.client.connection.idle.min";
  public static final String PENDING_REQUESTS = "db.client.connection.pending_requests";
  public static final String TIMEOUTS = "db.client.connection.timeouts";
  public static final String WAIT_TIME = "db.client.connection.wait_time";
  public static final String USE_TIME = "db.client.connection.use_time";
  public static final String RETURNED_ROWS = "db.client.response.returned_rows";
  public static final String OPERATION_DURATION = "db.client.operation.duration";
  public static final String OPERATION_FAILURES = "pulse.db.client.operation.failures";
  public static final String VECTOR_DURATION = "pulse.vector.search.duration";
  public static final String VECTOR_ROWS = "pulse.vector.search.rows";
  public static final String VECTOR_RECALL = "pulse.vector.recall";
  public static final String VECTOR_EF_SEARCH = "pulse.vector.ef_search";
  public static final String VECTOR_PROBES = "pulse.vector.probes";
  public static final String POOL_RESIZES = "pulse.pool.resizes";
  public static final String FIREWALL_ERRORS = "pulse.firewall.errors";
  public static final String ALERTS_FIRING = "pulse.alerts.firing";
}
