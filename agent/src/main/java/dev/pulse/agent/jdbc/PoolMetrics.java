package dev.pulse.agent.jdbc;

import dev.pulse.agent.instrumentation.DataSourceKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the application's threads did with one pool (one DataSource): exact totals since start and
 * per-second windows of statements and of the longest connection wait. Writers pay a few atomic
 * adds; no lock, no allocation.
 */
public final class PoolMetrics {
  private final String name;
  /** The DataSource these are of; null for the entry shared past the bound. */
  final DataSourceKey source;
  private final LongAdder statements = new LongAdder();
  private final LongAdder failedStatements = new LongAdder();
  private final LongAdder statementNanos = new LongAdder();
  private final LongAdder failedAcquisitions = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final RollingWindow statementWindow = new RollingWindow();
  private final RollingWindow waitWindow = new RollingWindow();
  private final WaitHistogram waits = new WaitHistogram();
  /** Borrow to close of each connection handed out (HeldConnections times them). */
  private final WaitHistogram uses = new WaitHistogram();
  private final LongAdder useNanos = new LongAdder();
  private volatile String lastConnectionFailure;
  private volatile long lastAcquireFailureNanos;

  public PoolMetrics(String name) {
    this(name, null);
  }

  PoolMetrics(String name, DataSourceKey source) {
    this.name = name;
    this.source = source;
  }

  public String name() {
    return name;
  }

  /** {@code count} statements (a batch, or one) that together took {@code elapsedNanos}. */
  void recordStatements(long nowNanos, int count, long elapsedNanos, boolean failed) {
    if (failed) { // before the count: a reader of both reads the count first (RequestTotals)
      failedStatements.add(count);
    }
    statements.add(count);
    statementNanos.add(elapsedNanos);
    statementWindow.record(nowNanos, count, elapsedNanos, failed ? count : 0);
  }

  void recordAcquire(long nowNanos, long waitNanos, Throwable failure) {
    this.waitNanos.add(waitNanos);
    waits.record(waitNanos);
    waitWindow.recordMax(nowNanos, waitNanos);
    if (failure != null) {
      failedAcquisitions.increment();
      // the cause, not the exception: a Throwable would keep the classes of its stack reachable
      lastConnectionFailure = ConnectionFailures.cause(failure);
      lastAcquireFailureNanos = nowNanos;
    }
  }

  void recordUse(long heldNanos) {
    useNanos.add(heldNanos);
    uses.record(heldNanos);
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

  /** Every borrow records one wait: the wait histogram counts them (an add less per borrow). */
  public long acquisitions() {
    long total = 0;
    for (long count : waits.snapshot()) {
      total += count;
    }
    return total;
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

  /**
   * The longest wait of the {@code windowSeconds} complete seconds before now, in ms. Only the
   * maximum is kept per second: the borrows and their waits are counted by the histogram and the
   * adders.
   */
  public double maxWaitMillis(long nowNanos, int windowSeconds) {
    return waitWindow.snapshot(nowNanos, windowSeconds).maxMillis();
  }

  public long[] waitHistogram() {
    return waits.snapshot();
  }

  /** Time connections were held, borrow to close, since start: the sum of the use histogram. */
  public long useNanos() {
    return useNanos.sum();
  }

  /** Connections given back, by how long they were held (the buckets of {@link WaitHistogram}). */
  public long[] useHistogram() {
    return uses.snapshot();
  }

  /**
   * Why the last failed getConnection could not reach the database ("SQLState 08001",
   * "connection refused"), or null when it failed otherwise or none failed.
   */
  public String lastConnectionFailure() {
    return lastConnectionFailure;
  }

  public long lastAcquireFailureNanos() {
    return lastAcquireFailureNanos;
  }
}
