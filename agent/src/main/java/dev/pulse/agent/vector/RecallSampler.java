package dev.pulse.agent.vector;

import dev.pulse.log.PulseLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Measures recall by re-running a sample of searches, off the application's threads, on a
 * connection of the agent's own (never one of the application's pool): once as the application ran
 * it (same ef_search, probes and iterative scan), once exactly (index scans off), each inside a
 * transaction that is rolled back, and compares the two row sets. The sample is bounded twice: a
 * share of searches (rate) and a number per second (budget); what exceeds either is not measured.
 */
final class RecallSampler {
  private static final PulseLog LOG = PulseLog.forComponent("recall");
  private static final int MAX_QUEUED = 16;
  private static final String STATEMENT_TIMEOUT = "5s";

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

  private final double rate;
  private final int budgetPerSecond;
  private final RecallEstimates estimates;
  private final Function<String, Connection> connections;
  private final ConcurrentLinkedQueue<Sample> queue = new ConcurrentLinkedQueue<>();
  /** Pools closed by the application: their connection of the agent's own is closed too. */
  private final ConcurrentLinkedQueue<String> closedPools = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong budgetSecond = new AtomicLong();
  private final AtomicInteger usedThisSecond = new AtomicInteger();
  private final Map<String, Connection> open = new HashMap<>();
  private final Thread worker;

  /**
   * @param connections opens a connection of the agent's own for a pool name, or returns null
   */
  RecallSampler(double rate, int budgetPerSecond, RecallEstimates estimates,
      Function<String, Connection> connections) {
    this.rate = rate;
    this.budgetPerSecond = budgetPerSecond;
    this.estimates = estimates;
    this.connections = connections;
    this.worker = new Thread(this::work, "pulse-recall");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** On the application's thread: true when this search should be measured (rate and budget allow). */
  boolean wants() {
    if (rate <= 0 || (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate)
        || queued.get() >= MAX_QUEUED) {
      return false;
    }
    long second = System.nanoTime() / 1_000_000_000L;
    long held = budgetSecond.get();
    if (held != second && budgetSecond.compareAndSet(held, second)) {
      usedThisSecond.set(0);
    }
    return usedThisSecond.incrementAndGet() <= budgetPerSecond;
  }

  /** Never blocks: the worker picks it up. */
  void submit(Sample sample) {
    queued.incrementAndGet();
    queue.offer(sample);
    java.util.concurrent.locks.LockSupport.unpark(worker);
  }

  /** Never blocks: the worker closes the pool's connection (which holds the driver's classes). */
  void poolClosed(String pool) {
    closedPools.offer(pool);
    java.util.concurrent.locks.LockSupport.unpark(worker);
  }

  private void work() {
    dev.pulse.agent.instrumentation.PulseHooks.enterInternal(); // this thread's JDBC is the agent's
    while (true) {
      for (String pool; (pool = closedPools.poll()) != null; ) {
        closeQuietly(open.remove(pool));
      }
      Sample sample = queue.poll();
      if (sample == null) {
        // submit() unparks after its offer: a sample that arrives between the poll and this park
        // leaves a permit, so the park returns at once
        java.util.concurrent.locks.LockSupport.park(this);
        continue;
      }
      queued.decrementAndGet();
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
    List<String> approximate = rows(connection, sample, false);
    List<String> exact = rows(connection, sample, true);
    if (exact.isEmpty()) {
      return;
    }
    Map<String, Integer> remaining = new HashMap<>();
    for (String row : approximate) {
      remaining.merge(row, 1, Integer::sum);
    }
    int found = 0;
    for (String row : exact) {
      Integer left = remaining.get(row);
      if (left != null && left > 0) {
        found++;
        remaining.put(row, left - 1);
      }
    }
    estimates.add(sample.shape, (double) found / exact.size());
  }

  /** The search's rows, each reduced to a digest of its text, as the application ran it or exactly. */
  private static List<String> rows(Connection connection, Sample sample, boolean exact)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "'");
      if (exact) {
        statement.execute("SET LOCAL enable_indexscan = off");
      } else {
        for (Map.Entry<String, String> setting : sample.settings.entrySet()) {
          statement.execute("SET LOCAL " + setting.getKey() + " = '" + setting.getValue().replace("'", "''") + "'");
        }
      }
      try (ResultSet result = statement.executeQuery("SELECT md5(pulse_row::text) FROM ("
          + sample.sql + ") AS pulse_row")) {
        while (result.next()) {
          rows.add(result.getString(1));
        }
      }
    } finally {
      connection.rollback();
    }
    return rows;
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
