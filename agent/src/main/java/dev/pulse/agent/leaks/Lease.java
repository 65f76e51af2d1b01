package dev.pulse.agent.leaks;

import dev.pulse.agent.instrumentation.DataSourceKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One borrow being followed: who took the connection, when, and where (a stack captured at the
 * borrow, read only if the connection is held too long). It keeps the thread's name, not the
 * thread, and nothing of the connection.
 */
final class Lease {
  static final int HELD = 0;
  static final int REPORTED = 1;
  static final int RETURNED = 2;

  final DataSourceKey source;
  final String thread;
  final long borrowedNanos;
  final Throwable borrowedAt;
  final AtomicInteger state = new AtomicInteger(HELD);
  volatile ScheduledFuture<?> check;

  Lease(DataSourceKey source, String thread, long borrowedNanos, Throwable borrowedAt) {
    this.source = source;
    this.thread = thread;
    this.borrowedNanos = borrowedNanos;
    this.borrowedAt = borrowedAt;
  }

  long heldMillis(long now) {
    return (now - borrowedNanos) / 1_000_000;
  }
}
