package dev.pulse.agent.vector;

import dev.pulse.agent.instrumentation.DataSourceKey;
import dev.pulse.agent.instrumentation.JdbcListener;
import dev.pulse.agent.instrumentation.PulseHooks;
import dev.pulse.log.PulseLog;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * Opt-in tuning (vector.tune): puts the advisor's recommended hnsw.ef_search / ivfflat.probes on
 * the sessions of the application's pool, and takes it back when it does not pay.
 *
 * <p>Where: as the pool hands a connection out, on the borrowing thread, before the application
 * has used it. A pool hands out a connection with no transaction open (HikariCP rolls back a dirty
 * one on return), so a session-level {@code SET} there runs outside any transaction of the
 * application and cannot fail or roll back one; on a connection with autocommit off it is
 * committed at once, on the driver's connection, before the application starts its own. It is
 * sent only when the session's value differs from the target: one round trip per connection and
 * change, never per statement or per borrow. A session whose value the application set itself
 * after the agent is left alone (the application decides), and a SET that fails turns tuning off
 * for that pool.
 *
 * <p>Backing off (checked on the advisor's thread after every sampled search, whatever its shape:
 * the value is the whole pool's): when the application's searches of the advised collection at
 * the tuned value take more than twice the time the recall curve predicted relative to before, or
 * when their measured recall at that value is below the target by more than its interval, the
 * previous value is put back and the change announced. "Before" is what the application had before the agent
 * first tuned it, however many recommendations followed: a second change must not make the first
 * one's cost the baseline.
 */
final class EfSearchTuner implements JdbcListener {
  private static final PulseLog LOG = PulseLog.forComponent("vector-tune");
  static final int MIN_OBSERVED = 20;
  static final double SLOWDOWN = 2.0;
  private static final int MAX_OBSERVED_KEYS = 1024;

  /** A value to put on a pool's sessions, and what it was expected to cost. */
  static final class Target {
    final String pool;
    /** The collection whose advice it follows: the one its announcements name. */
    final String collection;
    final String parameter;
    final int value;
    /** The application's own value before the agent tuned it. */
    final Integer previous;
    /** The curve's latency at the value over its latency at the previous one. */
    final double predictedRatio;

    Target(String pool, String collection, String parameter, int value, Integer previous,
        double predictedRatio) {
      this.pool = pool;
      this.collection = collection;
      this.parameter = parameter;
      this.value = value;
      this.previous = previous;
      this.predictedRatio = predictedRatio;
    }
  }

  private final VectorSessions sessions;
  private final Function<DataSourceKey, String> poolNames;
  private final AdviceLedger ledger;
  private final double recallTarget;
  private final int minSamples;
  /** By pool and parameter; replaced whole, read without a lock on every borrow. */
  private volatile Map<String, Target> targets = Map.of();
  /** Values the agent set, by physical connection: a different value now is the application's. */
  private final Map<Object, Map<String, Integer>> setByAgent = new WeakHashMap<>();
  /** Pools where a SET failed: tuning is off there. */
  private final Map<String, Boolean> failed = new ConcurrentHashMap<>();
  /** By pool and parameter, the value backed off from: not tried again until the advice changes. */
  private final Map<String, Integer> backedOff = new ConcurrentHashMap<>();
  /** The application's searches by pool, parameter and value in effect; bounded. */
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();

  /** The application's searches at one value: how many, their time, their measured recall. */
  static final class Observed {
    final AtomicLongArray countAndNanos = new AtomicLongArray(2);
    volatile RecallEstimates.Estimate recall;

    double meanNanos() {
      long count = countAndNanos.get(0);
      return count == 0 ? 0 : (double) countAndNanos.get(1) / count;
    }
  }

  EfSearchTuner(VectorSessions sessions, Function<DataSourceKey, String> poolNames,
      AdviceLedger ledger, double recallTarget, int minSamples) {
    this.sessions = sessions;
    this.poolNames = poolNames;
    this.ledger = ledger;
    this.recallTarget = recallTarget;
    this.minSamples = minSamples;
  }

  /**
   * On the advisor's thread: the curve recommends {@code value}, at {@code latencyMs} against
   * {@code previousLatencyMs} at {@code previous}, the value the sampled search ran at; tune to it.
   */
  void recommend(String pool, String collection, String parameter, int value, double latencyMs,
      double previousLatencyMs, Integer previous, String why) {
    String key = pool + '|' + parameter;
    Target current = targets.get(key);
    if (failed.containsKey(pool) || (current != null && current.value == value)
        || Integer.valueOf(value).equals(backedOff.get(key))) {
      return;
    }
    backedOff.remove(key);
    double ratio = previousLatencyMs > 0 ? latencyMs / previousLatencyMs : 1;
    Integer baseline = previous;
    if (current != null && previous != null && current.value == previous) {
      // the search ran at the agent's own value: compare with the application's, as before it
      baseline = current.previous;
      ratio *= current.predictedRatio;
    }
    install(new Target(pool, collection, parameter, value, baseline, Math.max(1, ratio)));
    // what the sessions had: the agent's own value once it tuned, whatever the sampled search ran at
    Integer from = current != null ? Integer.valueOf(current.value) : previous;
    announce(pool, collection, parameter, value, from, "applied", "the agent sets " + parameter
        + " = " + value + " on the sessions of pool " + pool + " as they are borrowed: " + why);
  }

  /** On the advisor's thread: takes a tuned value back when it slowed searches or missed recall. */
  void review() {
    for (Target target : targets.values()) {
      if (target.previous == null || target.previous == target.value) {
        continue; // nothing to go back to (or already back)
      }
      String searches = target.pool + '|' + target.collection + '|' + target.parameter + '|';
      Observed at = observed.get(searches + target.value);
      Observed before = observed.get(searches + target.previous);
      String reason = null;
      if (at != null && before != null && at.countAndNanos.get(0) >= MIN_OBSERVED
          && before.countAndNanos.get(0) >= MIN_OBSERVED) {
        double ratio = at.meanNanos() / before.meanNanos();
        if (ratio > SLOWDOWN * target.predictedRatio) {
          reason = String.format(Locale.ROOT, "searches at %s = %d take %.1f times as long as at"
              + " %d, over %.1f times the %.1f the recall curve predicted", target.parameter,
              target.value, ratio, target.previous, SLOWDOWN, target.predictedRatio);
        }
      }
      RecallEstimates.Estimate recall = at == null ? null : at.recall;
      if (reason == null && recall != null && recall.samples >= minSamples
          && recall.mean < recallTarget - 0.98 / Math.sqrt(recall.samples)) {
        reason = String.format(Locale.ROOT, "the application's measured recall at %s = %d is"
            + " %.3f over %d searches, below the target %.2f", target.parameter, target.value,
            recall.mean, recall.samples, recallTarget);
      }
      if (reason != null) {
        String key = target.pool + '|' + target.parameter;
        backedOff.put(key, target.value);
        install(new Target(target.pool, target.collection, target.parameter, target.previous,
            target.previous, 1));
        announce(target.pool, target.collection, target.parameter, target.previous, target.value,
            "backed_off", "back to " + target.parameter + " = " + target.previous + ": " + reason);
      }
    }
  }

  /**
   * On the application's thread, for each search while tuning is on: a map lookup and two atomic
   * adds (the recall estimate is the one the search's event already carries). By collection as
   * well as value: a pool may search HNSW and IVFFlat collections, and a value is judged by the
   * searches of the collection whose advice set it.
   */
  void observed(String pool, String collection, String parameter, Integer value, long nanos,
      RecallEstimates.Estimate recall) {
    if (value == null || pool == null || collection == null) {
      return;
    }
    String key = pool + '|' + collection + '|' + parameter + '|' + value;
    Observed at = observed.get(key);
    if (at == null) {
      if (observed.size() >= MAX_OBSERVED_KEYS) {
        return;
      }
      at = observed.computeIfAbsent(key, ignored -> new Observed());
    }
    at.countAndNanos.incrementAndGet(0);
    at.countAndNanos.addAndGet(1, nanos);
    if (recall != null) {
      at.recall = recall;
    }
  }

  /** On the borrowing thread, as the pool hands the connection out: see the class comment. */
  @Override
  public void connectionBorrowed(DataSourceKey source, Object connection, Object physical,
      long borrowedNanos) {
    Map<String, Target> now = targets;
    if (now.isEmpty() || source == null) {
      return;
    }
    String pool = poolNames.apply(source);
    for (Target target : now.values()) {
      if (target.pool.equals(pool)) {
        tune((Connection) connection, (Connection) physical, target);
      }
    }
  }

  /** {@code physical}: what the hooks found the connection unwraps to. */
  private void tune(Connection connection, Connection physical, Target target) {
    String value = Integer.toString(target.value);
    if (value.equals(sessions.effective(connection, target.pool, target.parameter))) {
      return;
    }
    synchronized (setByAgent) {
      Map<String, Integer> ours = setByAgent.get(physical);
      Integer set = ours == null ? null : ours.get(target.parameter);
      if (set != null && set != target.value
          && !Integer.toString(set).equals(sessions.effective(connection, target.pool, target.parameter))) {
        return; // the application changed what the agent set: its choice stands
      }
    }
    PulseHooks.enterInternal();
    boolean autoCommit = true;
    try {
      autoCommit = physical.getAutoCommit();
      try (Statement statement = physical.createStatement()) {
        statement.execute("SET " + target.parameter + " = " + target.value);
      }
      if (!autoCommit) {
        physical.commit(); // only the SET: the application has not begun its work yet
      }
      sessions.apply(connection, new SettingChange(target.parameter, value, -1, false), null);
      synchronized (setByAgent) {
        setByAgent.computeIfAbsent(physical, key -> new HashMap<>()).put(target.parameter, target.value);
      }
    } catch (Exception | LinkageError e) {
      if (!autoCommit) {
        try {
          physical.rollback();
        } catch (Exception ignored) {
          // the pool will find the connection broken and replace it
        }
      }
      if (failed.put(target.pool, Boolean.TRUE) == null) {
        Map<String, Target> next = new HashMap<>(targets);
        next.values().removeIf(t -> t.pool.equals(target.pool));
        targets = Map.copyOf(next);
        LOG.warn("tuning of pool " + target.pool + " is off: SET " + target.parameter
            + " failed (" + e.getMessage() + ")");
      }
    } finally {
      PulseHooks.exitInternal();
    }
  }

  private void install(Target target) {
    Map<String, Target> next = new HashMap<>(targets);
    next.put(target.pool + '|' + target.parameter, target);
    targets = Map.copyOf(next);
  }

  private void announce(String pool, String collection, String parameter, Integer value,
      Integer from, String status, String message) {
    Map<String, Object> recommended = new LinkedHashMap<>();
    recommended.put(parameter.substring(parameter.indexOf('.') + 1), value);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("parameter", parameter);
    evidence.put("previous", from);
    ledger.announce(pool, collection, "tuning", status, message, recommended, evidence);
  }
}
