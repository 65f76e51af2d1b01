package dev.pulse.agent.instrumentation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The moment the agent's start lets the host's waiting threads go on ({@link HeldEvents}). A start
 * that has not come to it in time is broken: every wait gives up at one deadline, set by the first
 * wait, and every later one at once, so the host is held that long once, not at every event. Public and among the hooks
 * the application's class loader sees, since the held events wait on it there.
 */
public final class StartRelease {
  /** How long a host's thread waits at most for the agent's start. */
  public static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicBoolean gaveUp = new AtomicBoolean();
  private final long maxWaitNanos;
  /** Told once, on the thread that gave up (the hooks cannot log: the agent's log is hidden). */
  private final Runnable whenGivenUp;
  /** When every wait gives up; set by the first wait. */
  private long giveUpAt;
  private boolean waitedYet;

  public StartRelease(long maxWaitNanos, Runnable whenGivenUp) {
    this.maxWaitNanos = maxWaitNanos;
    this.whenGivenUp = whenGivenUp;
  }

  private synchronized long deadline() {
    if (!waitedYet) {
      waitedYet = true;
      giveUpAt = System.nanoTime() + maxWaitNanos;
    }
    return giveUpAt;
  }

  /** Lets every waiting thread go on, and every later one pass. */
  public void release() {
    released.countDown();
  }

  /**
   * Whether the start released, waiting for it if need be; false if it did not come in time. Not
   * interrupted: an event would be lost (the interrupt is kept).
   */
  public boolean await() {
    if (released.getCount() == 0) {
      return true;
    }
    long deadline = deadline();
    boolean interrupted = false;
    try {
      while (released.getCount() != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          if (gaveUp.compareAndSet(false, true)) {
            whenGivenUp.run();
          }
          return false;
        }
        try {
          released.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // the host's interrupt stays the host's
      }
    }
  }
}
