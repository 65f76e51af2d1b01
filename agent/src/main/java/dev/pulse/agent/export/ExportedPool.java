package dev.pulse.agent.export;

/**
 * One pool's figures as the export reads them at a collection: the pool's own state now and the
 * agent's cumulative counts since start. Plain values, so the export knows nothing of how a pool
 * is reached.
 */
public final class ExportedPool {
  final String name;
  final int maximum;
  final int minimumIdle;
  final int active;
  final int idle;
  final int waiting;
  final long statements;
  final long failedStatements;
  final long statementNanos;
  final long failedAcquisitions;
  final long waitNanos;
  /** Borrow waits per bucket, cumulative: bucket i holds waits under {@code bounds[i]} seconds. */
  final long[] waitCounts;
  final long useNanos;
  /** Connections given back per bucket (the wait buckets), by how long they were held. */
  final long[] useCounts;

  public ExportedPool(String name, int maximum, int minimumIdle, int active, int idle, int waiting,
      long statements, long failedStatements, long statementNanos, long failedAcquisitions,
      long waitNanos, long[] waitCounts, long useNanos, long[] useCounts) {
    this.name = name;
    this.maximum = maximum;
    this.minimumIdle = minimumIdle;
    this.active = active;
    this.idle = idle;
    this.waiting = waiting;
    this.statements = statements;
    this.failedStatements = failedStatements;
    this.statementNanos = statementNanos;
    this.failedAcquisitions = failedAcquisitions;
    this.waitNanos = waitNanos;
    this.waitCounts = waitCounts;
    this.useNanos = useNanos;
    this.useCounts = useCounts;
  }
}
