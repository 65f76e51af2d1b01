package dev.pulse.agent.jdbc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the application's threads did with one pool (one DataSource): exact totals since start and
 * per-second windows of statements and connection waits. Writers pay a few atomic adds; no lock,
 * no allocation.
 */
public final class PoolMetrics {
  private final String name;
  private final LongAdder statements = new LongAdder();
  private final LongAdder failedStatements = new LongAdder();
  private final LongAdder statementNanos = new LongAdder();
  private final LongAdder acquisitions = new LongAdder();
  private final LongAdder failedAcquisitions = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final RollingWindow statementWindow = new RollingWindow();
  private final RollingWindow waitWindow = new RollingWindow();
  private final WaitHistogram waits = new WaitHistogram();
  private final AtomicBoolean poolChecked = new AtomicBoolean();
  private volatile Throwable lastAcquireFailure;
  private volatile long lastAcquireFailureNanos;

  public PoolMetrics(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void recordStatement(long nowNanos, long elapsedNanos, boolean failed) {
    statements.increment();
    statementNanos.add(elapsedNanos);
    if (failed) {
      failedStatements.increment();
    }
    statementWindow.record(nowNanos, elapsedNanos, failed);
  }

  void recordAcquire(long nowNanos, long waitNanos, Throwable failure) {
    acquisitions.increment();
    this.waitNanos.add(waitNanos);
    waits.record(waitNanos);
    waitWindow.record(nowNanos, waitNanos, failure != null);
    if (failure != null) {
      failedAcquisitions.increment();
      lastAcquireFailure = failure;
      lastAcquireFailureNanos = nowNanos;
    }
  }

  /** True exactly once: for the first caller to check whether this DataSource is a known pool kind. */
  boolean claimPoolCheck() {
    return !poolChecked.get() && poolChecked.compareAndSet(false, true);
  }

  public long totalStatements() {
    return statements.sum();
  }

  public long failedStatements() {
    return failedStatements.sum();
  }

  public long statementNanos() {
    return statementNanos.sum();
  }

  public long acquisitions() {
    return acquisitions.sum();
  }

  public long failedAcquisitions() {
    return failedAcquisitions.sum();
  }

  /** Time spent waiting for connections since start, all borrows: the sum of the wait histogram. */
  public long waitNanos() {
    return waitNanos.sum();
  }

  public RollingWindow.Snapshot statements(long nowNanos, int windowSeconds) {
    return statementWindow.snapshot(nowNanos, windowSeconds);
  }

  public RollingWindow.Snapshot waits(long nowNanos, int windowSeconds) {
    return waitWindow.snapshot(nowNanos, windowSeconds);
  }

  public long[] waitHistogram() {
    return waits.snapshot();
  }

  /** The last failed getConnection, or null. */
  public Throwable lastAcquireFailure() {
    return lastAcquireFailure;
  }

  public long lastAcquireFailureNanos() {
    return lastAcquireFailureNanos;
  }
}
