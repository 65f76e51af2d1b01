package dev.pulse.agent.vector;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns executed SQL into vector-search knowledge: setting changes update the connection's
 * pgvector settings; a search publishes search_completed. On the application's thread: a statement
 * that is neither costs one cached lookup; a search costs a few reflective reads and one event.
 */
public final class VectorSearchRecorder {
  private final VectorSearchDetector detector = new VectorSearchDetector();
  private final VectorSessions sessions = new VectorSessions();
  private final PgjdbcAccess driver = new PgjdbcAccess();
  private final Consumer<Event> publisher;
  private final String idPrefix = "vs-" + Long.toString(System.currentTimeMillis(), 36) + "-";
  private final AtomicLong ids = new AtomicLong();

  public VectorSearchRecorder(Consumer<Event> publisher) {
    this.publisher = publisher;
  }

  public void statementExecuted(Object statement, String sql, Object resultSet, long elapsedNanos,
      Throwable failure) {
    Object verdict = detector.classify(sql);
    if (verdict == null || failure != null) {
      return;
    }
    Object connection = connectionOf(statement);
    if (connection == null) {
      return;
    }
    if (verdict instanceof SettingChange) {
      SettingChange change = (SettingChange) verdict;
      String bound = change.valueParameter() > 0
          ? PgjdbcAccess.text(driver.parameterLiteral(statement, change.valueParameter())) : null;
      sessions.apply(connection, change, bound);
    } else {
      publish((VectorQuery) verdict, statement, connection, resultSet, elapsedNanos);
    }
  }

  public void transactionEnded(Object connection) {
    sessions.transactionEnded(connection);
  }

  private void publish(VectorQuery query, Object statement, Object connection, Object resultSet,
      long elapsedNanos) {
    Integer k = query.literalK() >= 0 ? Integer.valueOf(query.literalK())
        : PgjdbcAccess.wholeNumber(driver.parameterLiteral(statement, query.kParameter()));
    String hnswIterative = sessions.effective(connection, "hnsw.iterative_scan");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("query_id", idPrefix + ids.incrementAndGet());
    data.put("collection", query.table());
    data.put("top_k", k);
    data.put("search_time_ms", Math.round(elapsedNanos / 1_000.0) / 1_000.0);
    data.put("results_count", resultSet == null ? null : driver.rowCount(resultSet));
    data.put("distance", query.distance().wireName());
    data.put("ef_search", PgjdbcAccess.wholeNumber(sessions.effective(connection, "hnsw.ef_search")));
    data.put("probes", PgjdbcAccess.wholeNumber(sessions.effective(connection, "ivfflat.probes")));
    data.put("iterative_scan", !"off".equals(hnswIterative) ? hnswIterative
        : sessions.effective(connection, "ivfflat.iterative_scan"));
    // Recall is measured from sampled exact searches; until one exists there is no estimate.
    data.put("recall_estimated", null);
    data.put("recall_samples", 0);
    publisher.accept(Event.now(Channel.VECTOR_SEARCH, "search_completed", data));
  }

  private static Object connectionOf(Object statement) {
    try {
      return ((Statement) statement).getConnection();
    } catch (Exception | LinkageError e) {
      return null;
    }
  }
}
