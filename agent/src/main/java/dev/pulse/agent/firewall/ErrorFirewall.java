package dev.pulse.agent.firewall;

import dev.pulse.broadcaster.Channel;
import dev.pulse.broadcaster.Event;
import dev.pulse.log.PulseLog;
import dev.pulse.threads.HandOff;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Sees every failure at the data layer, classifies it and reports it as error_intercepted, one
 * event per distinct failure and window. By default it only observes: the application's own
 * exception is always thrown unchanged. With fail-fast on, getConnection on a pool whose database
 * is unreachable fails at once (status "blocked") until a probe gets through. On the failing thread
 * it costs a constant capture (a few references into a bounded queue); classification,
 * fingerprinting, redaction, storm suppression and the fail-fast decision happen on the agent's
 * "pulse-firewall" thread. Under a storm it cannot keep up with, failures are dropped and counted.
 */
public final class ErrorFirewall implements Runnable {
  public static final String SCENE_ACQUIRE = "connection_acquire";
  public static final String SCENE_QUERY = "query";
  public static final String SCENE_VECTOR = "vector_search";

  private static final PulseLog LOG = PulseLog.forComponent("firewall");
  private static final String UNREACHABLE = "database_unreachable";
  /** Failures waiting for the agent thread: a few MB at most, held only briefly. */
  private static final int QUEUE_CAPACITY = 4096;
  /** How long the agent thread waits for more failures after one before it parks (see HandOff). */
  private static final long LINGER_NANOS = 5_000_000L;

  private final ErrorClassifier classifier;
  private final StormGuard storms;
  private final StormGuard blockedStorms;
  private final Consumer<Event> publisher;
  private final boolean failFast;
  private final long firstBackoffNanos;
  private final long lastBackoffNanos;
  /** Gates of pools whose database was found unreachable; keyed by the pool's metrics object. */
  private final Map<Object, FailFastGate> gates = new ConcurrentHashMap<>();
  private final AtomicInteger closedGates = new AtomicInteger();
  private final Predicate<String> vectorSearch;
  private final HandOff<CapturedFailure> queue;

  /**
   * @param vectorSearch tells a vector search's SQL from another statement's (on the agent thread)
   * @param failFast when true, getConnection fails at once while a pool's database is unreachable,
   *     with probes after a back-off from {@code firstBackoffMillis} doubling to 30 s
   */
  public ErrorFirewall(ErrorClassifier classifier, long windowMillis, Consumer<Event> publisher,
      Predicate<String> vectorSearch, boolean failFast, long firstBackoffMillis) {
    this.vectorSearch = vectorSearch;
    this.classifier = classifier;
    this.storms = new StormGuard(windowMillis * 1_000_000L, 10_000);
    this.blockedStorms = new StormGuard(windowMillis * 1_000_000L, 10_000);
    this.publisher = publisher;
    this.failFast = failFast;
    this.firstBackoffNanos = firstBackoffMillis * 1_000_000L;
    this.lastBackoffNanos = Math.max(firstBackoffNanos, 30_000_000_000L);
    this.queue = new HandOff<>(QUEUE_CAPACITY, LINGER_NANOS, "pulse-firewall", null, this::handle);
  }

  /**
   * On the application's thread: a statement failed at {@code atNanos} (System.nanoTime, which the
   * hook read already); {@code sql} may be null.
   */
  public void statementFailed(Throwable failure, String sql, long atNanos) {
    queue.offer(new CapturedFailure(CapturedFailure.Kind.STATEMENT, failure, sql, null, null, null,
        atNanos));
  }

  /**
   * On the application's thread: a getConnection on {@code pool} (its metrics object; {@code name}
   * for messages) failed; {@code poolFigures} gives the pool's state when it failed, or is null. With fail-fast on, an unreachable database closes the pool's gate.
   */
  public void acquireFailed(Throwable failure, Object pool, String name,
      Supplier<Map<String, Object>> poolFigures) {
    queue.offer(new CapturedFailure(CapturedFailure.Kind.ACQUIRE, failure, null, pool, name,
        poolFigures, System.nanoTime()));
  }

  /** On the agent thread: one captured failure, classified and reported. */
  private void handle(CapturedFailure captured) {
    switch (captured.kind) {
      case STATEMENT:
        report(classifier.classify(captured.failure, captured.sql != null
            && vectorSearch.test(captured.sql) ? SCENE_VECTOR : SCENE_QUERY), captured.atNanos, null);
        break;
      case ACQUIRE:
        acquireClassified(captured);
        break;
      default:
        blockedClassified(captured);
    }
  }

  private void acquireClassified(CapturedFailure captured) {
    Classification classification = classifier.classify(captured.failure, SCENE_ACQUIRE);
    report(classification, captured.atNanos, captured.poolFigures);
    if (failFast && UNREACHABLE.equals(classification.errorType)) {
      Object pool = captured.pool;
      String name = captured.poolName;
      FailFastGate gate = gates.computeIfAbsent(pool, k -> new FailFastGate(firstBackoffNanos, lastBackoffNanos));
      if (gate.close(classification.message, System.nanoTime())) {
        closedGates.incrementAndGet();
        LOG.warn("pool " + name + ": database unreachable; getConnection fails fast until a probe"
            + " succeeds (firewall.failfast)");
      }
    }
  }

  /** True while fail-fast holds some pool's database unreachable. */
  public boolean anyGateClosed() {
    return closedGates.get() > 0;
  }

  /** A getConnection on {@code pool} succeeded: its gate, if closed, opens. */
  public void acquireSucceeded(Object pool, String name) {
    if (closedGates.get() == 0) {
      return;
    }
    FailFastGate gate = gates.get(pool);
    if (gate != null && gate.open()) {
      closedGates.decrementAndGet();
      LOG.info("pool " + name + ": database reachable again; fail-fast lifted");
    }
  }

  /**
   * On the application's thread before getConnection: the exception to fail with at once, or
   * null to go ahead. Free while no gate is closed.
   */
  public SQLException blockedAcquire(Object pool, String name) {
    if (closedGates.get() == 0 || pool == null) {
      return null;
    }
    FailFastGate gate = gates.get(pool);
    long now = System.nanoTime();
    if (gate == null || !gate.blocks(now)) {
      return null;
    }
    SQLTransientConnectionException blocked = new SQLTransientConnectionException(
        "Pulse error firewall: the database of pool " + name + " is unreachable (" + gate.cause()
            + "); failing fast instead of waiting out the connection timeout; next probe in "
            + gate.retryInMillis(now) + " ms", "08001");
    queue.offer(new CapturedFailure(CapturedFailure.Kind.BLOCKED, blocked, null, pool, name, null, now));
    return blocked;
  }

  private void blockedClassified(CapturedFailure captured) {
    Classification classification = classifier.classify(captured.failure, SCENE_ACQUIRE);
    Classification asBlocked = new Classification(classification.errorId, SCENE_ACQUIRE,
        UNREACHABLE, "08001", Redactor.redact("failing fast: the database of pool "
            + captured.poolName + " is unreachable"), classification.solution, classification.confidence);
    if (blockedStorms.admit(asBlocked, captured.atNanos)) {
      publish(asBlocked, "blocked", 1, null);
    }
  }

  /** {@code poolFigures}: reads the pool's state when a borrow failed (active, idle...), or null. */
  private void report(Classification classification, long atNanos,
      Supplier<Map<String, Object>> poolFigures) {
    if (storms.admit(classification, atNanos)) {
      publish(classification, "observed", 1, poolFigures == null ? null : poolFigures.get());
    }
  }

  /** True while some window is open: {@link #run()} has one to close. */
  public boolean hasOpenWindows() {
    return storms.holdsAny() || blockedStorms.holdsAny();
  }

  /** On the scheduler: reports the repeats of every window that closed, and what was dropped. */
  @Override
  public void run() {
    long dropped = queue.takeDropped();
    if (dropped > 0) {
      LOG.warn(dropped + " failures dropped unclassified: they came faster than the firewall could"
          + " classify them (queue of " + QUEUE_CAPACITY + " full)");
    }
    long now = System.nanoTime();
    for (StormGuard.Window window : storms.close(now)) {
      publish(window.first, "suppressed", window.repeats.get(), null);
    }
    for (StormGuard.Window window : blockedStorms.close(now)) {
      publish(window.first, "blocked", window.repeats.get(), null);
    }
  }

  private void publish(Classification c, String status, int count, Map<String, Object> pool) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("error_id", c.errorId);
    data.put("error_scene", c.scene);
    data.put("error_type", c.errorType);
    data.put("sql_state", c.sqlState);
    data.put("message", c.message);
    data.put("solution", c.solution);
    data.put("confidence", c.confidence);
    data.put("status", status);
    data.put("count", count);
    if (pool != null) {
      data.put("pool", pool);
    }
    publisher.accept(Event.now(Channel.ERROR_FIREWALL, "error_intercepted", data));
  }
}
