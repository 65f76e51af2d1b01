package dev.pulse.agent.vector;

import dev.pulse.agent.hikari.HikariPoolHandle;
import dev.pulse.agent.hikari.PoolListener;
import dev.pulse.agent.hikari.ServerSettingsListener;
import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.StatementEvent;
import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns executed SQL into vector-search knowledge: setting changes update the connection's
 * pgvector settings; a search is counted in its collection's {@link VectorStats} and publishes
 * search_completed, sampled above a per-collection rate ({@link EventRate}). On the application's
 * thread: a statement that is neither costs one cached lookup; a search costs a few reflective
 * reads, a few atomic adds and, when it is not sampled out, one event.
 */
public final class VectorSearchRecorder implements JdbcListener, PoolListener,
    ServerSettingsListener {
  private final VectorSearchDetector detector = new VectorSearchDetector();
  private final VectorSessions sessions = new VectorSessions();
  private final PgjdbcAccess driver = new PgjdbcAccess();
  private final Consumer<Event> publisher;
  private final Function<DataSourceKey, String> poolNames;
  private final RecallEstimates recall = new RecallEstimates();
  private final VectorStatsPublisher stats;
  private final RecallSampler sampler;
  private final VectorAdvisor advisor;
  private final EfSearchTuner tuner;
  private final String idPrefix = "vs-" + Long.toString(System.currentTimeMillis(), 36) + "-";
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param recallConnections opens a connection of the agent's own to the database of a pool (by
   *     name) for exact re-runs, or gives null; recall is off when {@code recallRate} is 0
   * @param poolNames the name of the pool behind a DataSource
   */
  public VectorSearchRecorder(Consumer<Event> publisher, double recallRate, int recallBudget,
      Function<String, Connection> recallConnections, Function<DataSourceKey, String> poolNames) {
    this(publisher, recallRate, recallBudget, recallConnections, poolNames, null, null, false, 0,
        () -> { });
  }

  /**
   * @param advice the advisor's limits, or null for no advisor
   * @param adviceConnections opens the advisor's connection of the agent's own for a pool name
   * @param tune whether the advisor's ef_search / probes are put on the application's sessions
   * @param eventsPerSecond search_completed per collection and second above which they are
   *     sampled (0: never)
   * @param wakeStats puts {@link #stats()} back on the schedule when searches start again
   */
  public VectorSearchRecorder(Consumer<Event> publisher, double recallRate, int recallBudget,
      Function<String, Connection> recallConnections, Function<DataSourceKey, String> poolNames,
      AdvisorLimits advice, Function<String, Connection> adviceConnections, boolean tune,
      int eventsPerSecond, Runnable wakeStats) {
    this.publisher = publisher;
    this.poolNames = poolNames;
    this.stats = new VectorStatsPublisher(publisher, eventsPerSecond, wakeStats, recall);
    this.sampler = recallRate > 0
        ? new RecallSampler(recallRate, recallBudget, recall, recallConnections) : null;
    AdviceLedger ledger = new AdviceLedger(publisher);
    this.tuner = advice != null && tune
        ? new EfSearchTuner(sessions, poolNames, ledger, advice.recallTarget, advice.minSamples)
        : null;
    this.advisor = advice != null && advice.rate > 0
        ? new VectorAdvisor(advice, ledger, adviceConnections, tuner) : null;
  }

  /** The listener that tunes the application's sessions as they are borrowed, or null when off. */
  public JdbcListener tuner() {
    return advisor == null ? null : tuner;
  }

  /** Publishes vector_stats: to be run every interval while {@link VectorStatsPublisher#wanted()}. */
  public VectorStatsPublisher stats() {
    return stats;
  }

  /** True when this SQL is a vector search (a cached verdict). */
  public boolean isSearch(String sql) {
    return detector.classify(sql) instanceof VectorQuery;
  }

  /** A batch reports a search once per execution, however many times it was added. */
  @Override
  public void statementExecuted(StatementEvent event) {
    if (event.failure() != null) {
      return;
    }
    List<String> batch = event.batchTexts();
    if (batch == null) {
      executed(event.statement(), event.sql(), event.resultSet(), event.elapsedNanos(),
          event.endNanos(), event.source());
      return;
    }
    Set<String> done = null;
    for (String sql : batch) {
      if (detector.classify(sql) != null) { // most batch texts are neither: one cached lookup each
        if (done == null) {
          done = new HashSet<>();
        }
        if (done.add(sql)) {
          executed(event.statement(), sql, null, event.elapsedNanos(), event.endNanos(),
              event.source());
        }
      }
    }
  }

  private void executed(Object statement, String sql, Object resultSet, long elapsedNanos,
      long endNanos, DataSourceKey source) {
    Object verdict = detector.classify(sql);
    if (verdict == null) {
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
      publish((VectorQuery) verdict, sql, statement, connection, resultSet, elapsedNanos,
          endNanos, source == null ? null : poolNames.apply(source));
    }
  }

  /**
   * Learns what the server gives each new session of a pool, so that settings made outside the
   * application's SQL (ALTER DATABASE ... SET, -c options in the URL) are reported too. Runs the
   * query on the connection given, as the agent's own work.
   */
  void readServerDefaults(String pool, Connection connection) {
    Map<String, String> values = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("SELECT current_setting('hnsw.ef_search', true),"
            + " current_setting('ivfflat.probes', true), current_setting('hnsw.iterative_scan', true),"
            + " current_setting('ivfflat.iterative_scan', true)")) {
      if (rows.next()) {
        String[] names = {"hnsw.ef_search", "ivfflat.probes", "hnsw.iterative_scan",
            "ivfflat.iterative_scan"};
        for (int i = 0; i < names.length; i++) {
          String value = rows.getString(i + 1);
          if (value != null && !value.isEmpty()) { // null: pgvector's own default applies
            values.put(names[i], value);
          }
        }
      }
      sessions.serverDefaults(pool, values);
    } catch (java.sql.SQLException e) {
      // not PostgreSQL, or no rights: pgvector's defaults stand
    }
  }

  @Override
  public void transactionEnded(Object connection) {
    sessions.transactionEnded(connection);
  }

  @Override
  public void poolClosed(HikariPoolHandle pool) {
    if (sampler != null) {
      sampler.poolClosed(pool.name());
    }
    if (advisor != null) {
      advisor.poolClosed(pool.name());
    }
  }

  @Override
  public void serverSettings(HikariPoolHandle pool, Connection connection) {
    readServerDefaults(pool.name(), connection);
  }

  /**
   * Every search is counted in its collection's figures; whether it also gets its own
   * search_completed is the collection's rate's call. A search that gets none returns after the
   * counting unless the recall sampler, advisor or tuner needs its settings. The rate reads the
   * search's end time: a clock read less per search.
   */
  private void publish(VectorQuery query, String sql, Object statement, Object connection,
      Object resultSet, long elapsedNanos, long endNanos, String pool) {
    Integer k = query.literalK() >= 0 ? Integer.valueOf(query.literalK())
        : driver.wholeNumberParameter(statement, query.kParameter());
    Integer rows = resultSet == null ? null : driver.rowCount(resultSet);
    VectorStats collection = stats.of(query.table());
    long weight = collection.rate.admit(endNanos);
    collection.record(elapsedNanos, rows == null ? -1 : rows, k == null ? -1 : k, weight > 0);
    stats.searched();
    boolean recallSample = pool != null && sampler != null && sampler.wants();
    boolean adviceSample = pool != null && advisor != null && query.table() != null
        && advisor.wants();
    if (pool != null && advisor != null && k != null && rows != null && query.table() != null) {
      advisor.counted(pool, query.table(), k, rows);
    }
    if (weight == 0 && !recallSample && !adviceSample && (tuner == null || pool == null)) {
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : VectorSessions.DEFAULTS.keySet()) {
      settings.put(name, sessions.effective(connection, pool, name));
    }
    String hnswIterative = settings.get("hnsw.iterative_scan");
    String iterative = !"off".equals(hnswIterative) ? hnswIterative : settings.get("ivfflat.iterative_scan");
    Integer efSearch = PgjdbcAccess.wholeNumber(settings.get("hnsw.ef_search"));
    Integer probes = PgjdbcAccess.wholeNumber(settings.get("ivfflat.probes"));
    String shape = RecallEstimates.shape(query.table(), query.distance(), k, efSearch, probes, iterative);
    collection.latestShape = shape;
    RecallEstimates.Estimate estimate = recall.get(shape);
    if (weight > 0) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("query_id", idPrefix + ids.incrementAndGet());
      data.put("collection", query.table());
      data.put("top_k", k);
      data.put("search_time_ms", Math.round(elapsedNanos / 1_000.0) / 1_000.0);
      data.put("results_count", rows);
      data.put("distance", query.distance().wireName());
      data.put("ef_search", efSearch);
      data.put("probes", probes);
      data.put("iterative_scan", iterative);
      // Measured from sampled exact searches of this shape; until one exists there is no estimate.
      data.put("recall_estimated", estimate == null ? null : Math.round(estimate.mean * 1000) / 1000.0);
      data.put("recall_samples", estimate == null ? 0 : estimate.samples);
      data.put("pool_name", pool);
      data.put("sample_weight", weight);
      publisher.accept(Event.now(Channel.VECTOR_SEARCH, "search_completed", data));
    }
    if (pool == null) {
      return;
    }
    if (tuner != null) {
      tuner.observed(pool, query.table(), "hnsw.ef_search", efSearch, elapsedNanos, estimate);
      tuner.observed(pool, query.table(), "ivfflat.probes", probes, elapsedNanos, estimate);
    }
    if (recallSample || adviceSample) {
      String inlined = inline(sql, query.parameterCount(), statement);
      if (inlined != null && recallSample) {
        sampler.submit(new RecallSampler.Sample(pool, shape, inlined, settings));
      }
      if (inlined != null && adviceSample) {
        advisor.submit(new VectorAdvisor.Search(pool, query.table(), query.distance(), k, inlined,
            settings));
      }
    }
  }

  /** The SQL with each bound parameter replaced by its literal, or null when one cannot be read. */
  private String inline(String sql, int parameterCount, Object statement) {
    StringBuilder text = new StringBuilder(sql.length() + 64);
    int copied = 0;
    int index = 0;
    for (SqlToken token : SqlLexer.tokens(sql)) {
      if (token.kind == SqlToken.Kind.PARAMETER) {
        String literal = driver.parameterLiteral(statement, ++index);
        if (literal == null) {
          return null;
        }
        text.append(sql, copied, token.start).append('(').append(literal).append(')');
        copied = token.end;
      } else if (token.kind == SqlToken.Kind.SEMICOLON) {
        text.append(sql, copied, token.start);
        copied = token.end;
      }
    }
    text.append(sql, copied, sql.length());
    return index == parameterCount ? text.toString() : null;
  }

  private static Object connectionOf(Object statement) {
    try {
      return ((Statement) statement).getConnection();
    } catch (Exception | LinkageError e) {
      return null;
    }
  }
}
