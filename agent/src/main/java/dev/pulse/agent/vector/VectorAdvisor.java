package dev.pulse.agent.vector;

import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.log.PulseLog;
import dev.pulse.threads.AgentThreads;
import dev.pulse.threads.ParkingSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Answers, per collection, "is my vector index used", "why fewer rows than k" and "what
 * ef_search do I need", from a sample of the application's searches worked on the advisor's own
 * thread and a connection of the agent's own (never the application's thread or pool). A sampled
 * search costs the database at most one EXPLAIN (per collection and plan interval), one exact
 * search and one search per value of the recall curve, each in a transaction rolled back.
 */
final class VectorAdvisor {
  private static final PulseLog LOG = PulseLog.forComponent("vector-advisor");
  private static final int MAX_QUEUED = 8;
  private static final int MAX_COLLECTIONS = 256;
  private static final int MAX_CURVES = 256;
  /** Fewest searches a short-results share rests on. */
  static final int SHORT_MIN_SEARCHES = 20;
  static final int[] EF_SEARCH_VALUES = {10, 20, 40, 80, 160, 320};
  static final int[] PROBES_VALUES = {1, 2, 4, 8, 16, 32, 64};

  /** A sampled search, captured on the application's thread. */
  static final class Search {
    final String pool;
    final String collection;
    final Distance distance;
    final Integer k;
    /** The SQL with its parameters inlined: runnable as it is. */
    final String sql;
    /** The pgvector settings in effect on the application's connection. */
    final Map<String, String> settings;

    Search(String pool, String collection, Distance distance, Integer k, String sql,
        Map<String, String> settings) {
      this.pool = pool;
      this.collection = collection;
      this.distance = distance;
      this.k = k;
      this.sql = sql;
      this.settings = settings;
    }
  }

  /** What the advisor knows of one collection of one pool. */
  private static final class Collection {
    long nextPlanCheck;
    /** hnsw or ivfflat once a plan showed such an index serving the search, else null. */
    String servedBy;
  }

  private final AdvisorLimits limits;
  private final SampleBudget budget;
  private final ShortResults shortResults = new ShortResults();
  private final AdviceLedger ledger;
  private final Function<String, Connection> connections;
  private final EfSearchTuner tuner;
  private final ConcurrentLinkedQueue<Search> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> closedPools = new ConcurrentLinkedQueue<>();
  private final Map<String, Connection> open = new HashMap<>();
  private final Map<String, Collection> collections = new HashMap<>();
  private final Map<String, RecallCurve> curves = new HashMap<>();
  private final ParkingSignal worker;

  /**
   * @param connections opens a connection of the agent's own for a pool name, or gives null
   * @param tuner applies recommendations to the application's sessions; null when tuning is off
   */
  VectorAdvisor(AdvisorLimits limits, AdviceLedger ledger, Function<String, Connection> connections,
      EfSearchTuner tuner) {
    this.limits = limits;
    this.budget = new SampleBudget(limits.rate, limits.budgetPerSecond, MAX_QUEUED);
    this.ledger = ledger;
    this.connections = connections;
    this.tuner = tuner;
    // built here, on the agent's thread; started by the first sample or closed pool
    this.worker = new ParkingSignal(AgentThreads.unstarted("pulse-vector-advisor", this::work));
  }

  /** On the application's thread: counts a search's rows against k. */
  void counted(String pool, String collection, int k, int rows) {
    shortResults.count(pool, collection, k, rows);
  }

  /** On the application's thread: true when this search should be sampled. */
  boolean wants() {
    return budget.wants();
  }

  /** Never blocks. */
  void submit(Search search) {
    budget.queued();
    queue.offer(search);
    worker.wake();
  }

  /** Never blocks: the worker closes the pool's connection. */
  void poolClosed(String pool) {
    closedPools.offer(pool);
    if (worker.started()) {
      worker.wake(); // never started: no connection of its own to close
    }
  }

  private boolean hasWork() {
    return !queue.isEmpty() || !closedPools.isEmpty();
  }

  private void work() {
    PulseHooks.enterInternal(); // this thread's JDBC is the agent's
    while (true) {
      for (String pool; (pool = closedPools.poll()) != null; ) {
        closeQuietly(open.remove(pool));
      }
      Search search = queue.poll();
      if (search == null) {
        worker.park(this::hasWork, 0);
        continue;
      }
      budget.taken();
      try {
        advise(search);
      } catch (Exception | LinkageError e) {
        LOG.debug("advice for " + search.collection + " on " + search.pool + " failed", e);
        closeQuietly(open.remove(search.pool));
      }
    }
  }

  void advise(Search search) throws SQLException {
    Connection connection = connection(search.pool);
    if (connection == null) {
      return;
    }
    String key = search.pool + '|' + search.collection;
    long now = System.nanoTime();
    Collection collection = collections.get(key);
    if (collection == null) {
      if (collections.size() >= MAX_COLLECTIONS) {
        return;
      }
      collection = new Collection();
      collection.nextPlanCheck = now; // due at once (nanoTime may be negative: never 0 for "now")
      collections.put(key, collection);
    }
    if (now - collection.nextPlanCheck >= 0) {
      collection.nextPlanCheck = now + limits.planIntervalNanos;
      checkIndex(connection, search, collection);
    }
    if (collection.servedBy != null) {
      checkShortResults(search, collection.servedBy);
      if (search.k != null) {
        sampleCurve(connection, search, collection.servedBy);
      }
    }
    if (tuner != null) {
      // after every sample, of whatever shape: a tuned value is the whole pool's, and the searches
      // it slows may be of a shape whose curve has no recommendation yet
      tuner.review();
    }
  }

  private void checkIndex(Connection connection, Search search, Collection collection)
      throws SQLException {
    IndexCheck.Finding finding = IndexCheck.inspect(connection, search.collection, search.sql,
        search.settings, limits.rowsThreshold);
    if (finding == null) {
      return;
    }
    collection.servedBy = finding.servedBy;
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("rows", finding.rows);
    evidence.put("rows_threshold", limits.rowsThreshold);
    evidence.put("plan", finding.plan);
    evidence.put("distance", search.distance.wireName());
    if (finding.servedBy != null) {
      evidence.put("index", finding.indexName);
      ledger.resolve(search.pool, search.collection, "no_index", "", "the " + finding.servedBy
          + " index " + finding.indexName + " now serves the searches of " + search.collection,
          evidence);
      return;
    }
    if (finding.rows <= limits.rowsThreshold) {
      return;
    }
    String operatorClass = IndexAdvice.operatorClass(finding.columnType, search.distance);
    String column = finding.column != null ? finding.column : "<vector column>";
    Map<String, Object> recommended = new LinkedHashMap<>();
    recommended.put("index", "hnsw");
    recommended.put("column", finding.column);
    recommended.put("operator_class", operatorClass);
    String statement = operatorClass == null ? null
        : IndexAdvice.createIndex(search.collection, column, operatorClass);
    recommended.put("statement", statement);
    String message = search.collection + ": about " + finding.rows + " rows searched by "
        + search.distance.wireName()
        + " distance with no vector index serving the search (plan: " + finding.plan + "): every"
        + " search reads the whole table. "
        + (statement != null ? "Create one: " + statement
            : "No HNSW operator class supports " + search.distance.wireName() + " on a "
                + finding.columnType + " column.");
    ledger.advise(search.pool, search.collection, "no_index", "", message, recommended, evidence);
  }

  private void checkShortResults(Search search, String servedBy) {
    ShortResults.Share share = shortResults.takeIfAtLeast(search.pool, search.collection,
        SHORT_MIN_SEARCHES);
    if (share == null) {
      return;
    }
    String prefix = "hnsw".equals(servedBy) ? "hnsw" : "ivfflat";
    String width = "hnsw".equals(servedBy) ? "hnsw.ef_search" : "ivfflat.probes";
    String iterative = search.settings.getOrDefault(prefix + ".iterative_scan", "off");
    String inEffect = search.settings.getOrDefault(width, VectorSessions.DEFAULTS.get(width));
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("searches", share.searches);
    evidence.put("fewer_than_k", share.fewer);
    evidence.put("share", RecallCurve.round(share.share()));
    evidence.put("threshold", limits.shortShare);
    evidence.put("index", servedBy);
    evidence.put(width, PgjdbcAccess.wholeNumber(inEffect));
    evidence.put(prefix + ".iterative_scan", iterative);
    if (share.share() < limits.shortShare) {
      if (share.share() < limits.shortShare / 2) {
        ledger.resolve(search.pool, search.collection, "short_results", "", Math.round(share.share() * 100)
            + "% of the latest " + share.searches + " searches of " + search.collection
            + " returned fewer rows than k", evidence);
      }
      return;
    }
    Map<String, Object> recommended = new LinkedHashMap<>();
    String remedy;
    if ("off".equals(iterative)) {
      recommended.put(prefix + ".iterative_scan", "relaxed_order");
      remedy = "the filter is applied after the " + servedBy + " index scan, which yields at most "
          + width + " = " + inEffect + " candidates. With pgvector 0.8 or later, SET "
          + prefix + ".iterative_scan = relaxed_order (or strict_order to keep the exact order)"
          + " makes the scan go on until k rows pass the filter";
    } else if ("hnsw".equals(servedBy)) {
      recommended.put("hnsw.max_scan_tuples", 40_000);
      remedy = "hnsw.iterative_scan is " + iterative + " but stops at hnsw.max_scan_tuples"
          + " (20000 unless set): raise it, or index the filtered rows apart (a partial index)";
    } else {
      recommended.put("ivfflat.max_probes", "all lists");
      remedy = "ivfflat.iterative_scan is " + iterative + " but stops at ivfflat.max_probes:"
          + " raise it, or index the filtered rows apart (a partial index)";
    }
    String message = Math.round(share.share() * 100) + "% of the latest " + share.searches
        + " searches of " + search.collection + " returned fewer rows than k: " + remedy + ".";
    ledger.advise(search.pool, search.collection, "short_results", "", message, recommended, evidence);
  }

  private void sampleCurve(Connection connection, Search search, String servedBy)
      throws SQLException {
    boolean hnsw = "hnsw".equals(servedBy);
    String parameter = hnsw ? "hnsw.ef_search" : "ivfflat.probes";
    String iterative = search.settings.getOrDefault(
        (hnsw ? "hnsw" : "ivfflat") + ".iterative_scan", "off");
    String shape = search.distance.wireName() + "|k=" + search.k + "|" + iterative;
    String curveKey = search.pool + '|' + search.collection + '|' + shape;
    RecallCurve curve = curves.get(curveKey);
    if (curve == null) {
      if (curves.size() >= MAX_CURVES) {
        return;
      }
      curve = new RecallCurve(parameter);
      curves.put(curveKey, curve);
    }
    ReRun.Result exact = ReRun.run(connection, search.sql, ReRun.EXACT);
    if (exact.rows.isEmpty()) {
      return;
    }
    Integer inEffect = PgjdbcAccess.wholeNumber(search.settings.get(parameter));
    TreeSet<Integer> values = new TreeSet<>();
    for (int value : hnsw ? EF_SEARCH_VALUES : PROBES_VALUES) {
      values.add(value);
    }
    if (inEffect != null) {
      values.add(inEffect);
    }
    Map<Integer, Double> recalls = new HashMap<>();
    Map<Integer, Double> latencies = new HashMap<>();
    for (int value : values) {
      Map<String, String> settings = new HashMap<>(search.settings);
      settings.put(parameter, Integer.toString(value));
      ReRun.Result approximate = ReRun.run(connection, search.sql, settings);
      recalls.put(value, ReRun.recall(approximate.rows, exact.rows));
      latencies.put(value, approximate.millis());
    }
    curve.add(recalls, latencies, exact.millis());
    RecallCurve.Recommendation recommendation = curve.recommend(limits.recallTarget, limits.minSamples);
    if (recommendation == null) {
      return;
    }
    String name = hnsw ? "ef_search" : "probes";
    RecallCurve.Point point = recommendation.point;
    Map<String, Object> evidence = curve.evidence(limits.recallTarget);
    evidence.put("top_k", search.k);
    evidence.put("distance", search.distance.wireName());
    evidence.put("iterative_scan", iterative);
    evidence.put("in_effect", inEffect);
    String message = recommendation.met
        ? parameter + " = " + point.value + " is the smallest value whose recall@" + search.k
            + " reaches " + limits.recallTarget + ": " + String.format(java.util.Locale.ROOT,
                "%.3f ± %.3f", point.recall(), point.halfWidth()) + " over " + point.samples()
            + " sampled searches of " + search.collection + ", "
            + String.format(java.util.Locale.ROOT, "%.2f ms", point.latencyMs()) + " each"
            + (inEffect != null ? " (" + inEffect + " is in effect)" : "")
        : "no " + parameter + " up to " + point.value + " reaches recall " + limits.recallTarget
            + " on " + search.collection + String.format(java.util.Locale.ROOT, " (%.3f at %d)",
                point.recall(), point.value) + ": the index itself misses; rebuild it with a larger"
            + (hnsw ? " m or ef_construction" : " lists count after loading the data");
    Map<String, Object> recommended = Map.of(name, point.value);
    boolean changed = ledger.advise(search.pool, search.collection, name, shape, message,
        recommended, evidence);
    if (tuner != null && recommendation.met && changed) {
      double before = 0;
      for (RecallCurve.Point other : curve.points()) {
        if (inEffect != null && other.value == inEffect) {
          before = other.latencyMs();
        }
      }
      tuner.recommend(search.pool, search.collection, parameter, point.value, point.latencyMs(),
          before, inEffect, message);
    }
  }

  private Connection connection(String pool) throws SQLException {
    Connection connection = open.get(pool);
    if (connection == null || connection.isClosed()) {
      connection = connections.apply(pool);
      if (connection == null) {
        return null;
      }
      connection.setAutoCommit(false);
      open.put(pool, connection);
    }
    return connection;
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // already gone
      }
    }
  }
}
