package dev.pulse.agent.vector;

import dev.pulse.log.PulseLog;
import dev.pulse.threads.AgentThreads;
import dev.pulse.threads.ParkingSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Measures recall by re-running a sample of searches, off the application's threads, on a
 * connection of the agent's own (never one of the application's pool): once as the application ran
 * it (same ef_search, probes and iterative scan), once exactly (index scans off), each inside a
 * transaction that is rolled back ({@link ReRun}), and compares the two row sets. The sample is
 * bounded twice: a share of searches (rate) and a number per second (budget); what exceeds either
 * is not measured.
 */
final class RecallSampler {
  private static final PulseLog LOG = PulseLog.forComponent("recall");
  private static final int MAX_QUEUED = 16;

  /** What a re-run needs, captured on the application's thread. */
  static final class Sample {
    final String pool;
    final String shape;
    final String sql;
    final Map<String, String> settings;

    Sample(String pool, String shape, String sql, Map<String, String> settings) {
      this.pool = pool;
      this.shape = shape;
      this.sql = sql;
      this.settings = settings;
    }
  }

  private final SampleBudget budget;
  private final RecallEstimates estimates;
  private final Function<String, Connection> connections;
  private final ConcurrentLinkedQueue<Sample> queue = new ConcurrentLinkedQueue<>();
  /** Pools closed by the application: their connection of the agent's own is closed too. */
  private final ConcurrentLinkedQueue<String> closedPools = new ConcurrentLinkedQueue<>();
  private final Map<String, Connection> open = new HashMap<>();
  private final ParkingSignal worker;

  /**
   * @param connections opens a connection of the agent's own for a pool name, or returns null
   */
  RecallSampler(double rate, int budgetPerSecond, RecallEstimates estimates,
      Function<String, Connection> connections) {
    this.budget = new SampleBudget(rate, budgetPerSecond, MAX_QUEUED);
    this.estimates = estimates;
    this.connections = connections;
    // built here, on the agent's thread; started by the first sample or closed pool
    this.worker = new ParkingSignal(AgentThreads.unstarted("pulse-recall", this::work));
  }

  /** On the application's thread: true when this search should be measured (rate and budget allow). */
  boolean wants() {
    return budget.wants();
  }

  /** Never blocks: the worker picks it up. */
  void submit(Sample sample) {
    budget.queued();
    queue.offer(sample);
    worker.wake();
  }

  /** Never blocks: the worker closes the pool's connection (which holds the driver's classes). */
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
    dev.pulse.agent.instrumentation.PulseHooks.enterInternal(); // this thread's JDBC is the agent's
    while (true) {
      for (String pool; (pool = closedPools.poll()) != null; ) {
        closeQuietly(open.remove(pool));
      }
      Sample sample = queue.poll();
      if (sample == null) {
        worker.park(this::hasWork, 0);
        continue;
      }
      budget.taken();
      try {
        measure(sample);
      } catch (Exception | LinkageError e) {
        LOG.debug("recall sample on " + sample.pool + " failed", e);
        closeQuietly(open.remove(sample.pool));
      }
    }
  }

  private void measure(Sample sample) throws SQLException {
    Connection connection = open.get(sample.pool);
    if (connection == null || connection.isClosed()) {
      connection = connections.apply(sample.pool);
      if (connection == null) {
        return;
      }
      connection.setAutoCommit(false);
      open.put(sample.pool, connection);
    }
    List<String> exact = ReRun.run(connection, sample.sql, ReRun.EXACT).rows;
    if (exact.isEmpty()) {
      return;
    }
    List<String> approximate = ReRun.run(connection, sample.sql, sample.settings).rows;
    estimates.add(sample.shape, ReRun.recall(approximate, exact));
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
