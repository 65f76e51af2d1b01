package dev.pulse.agent.firewall;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fail-fast for one pool: while its database is classified unreachable, getConnection fails at
 * once instead of every thread waiting out the connection timeout. After a back-off (doubling from
 * the first to the last), one call is let through as a probe; its success opens the gate again.
 * Fields are volatile or atomic: the application's threads read them without a lock.
 */
final class FailFastGate {
  private final long firstBackoffNanos;
  private final long lastBackoffNanos;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile long closedUntilNanos;
  private volatile long backoffNanos;
  private volatile String cause;

  FailFastGate(long firstBackoffNanos, long lastBackoffNanos) {
    this.firstBackoffNanos = firstBackoffNanos;
    this.lastBackoffNanos = lastBackoffNanos;
    this.backoffNanos = firstBackoffNanos;
  }

  boolean isClosed() {
    return closed;
  }

  String cause() {
    return cause;
  }

  long retryInMillis(long nowNanos) {
    return Math.max(0, (closedUntilNanos - nowNanos) / 1_000_000L);
  }

  /** Returns true when this closed a gate that was open. */
  synchronized boolean close(String why, long nowNanos) {
    boolean wasOpen = !closed;
    cause = why;
    closedUntilNanos = nowNanos + backoffNanos;
    backoffNanos = Math.min(lastBackoffNanos, backoffNanos * 2);
    closed = true;
    probing.set(false);
    return wasOpen;
  }

  /** Returns true when this opened a gate that was closed. */
  synchronized boolean open() {
    boolean wasClosed = closed;
    closed = false;
    backoffNanos = firstBackoffNanos;
    probing.set(false);
    return wasClosed;
  }

  /** On an application thread: false when this call may go to the database (open, or the probe). */
  boolean blocks(long nowNanos) {
    if (!closed) {
      return false;
    }
    return nowNanos < closedUntilNanos || !probing.compareAndSet(false, true);
  }
}
