package dev.pulse.agent.instrumentation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A yes or no the agent's start thread gives once and the host's threads may have to wait for:
 * whether woven classes may be defined ({@link AdviceTransformer}), whether events may go to the
 * listeners ({@link HeldEvents}). A start that has not decided in time is broken: the first wait
 * that long gives up, and every later one says no at once, so the host is held that long once,
 * not at every class or event. Public and among the hooks the application's class loader sees:
 * the held events use it there.
 */
public final class StartDecision {
  /** How long a host's thread waits at most for the agent's start. */
  public static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final CountDownLatch decided = new CountDownLatch(1);
  private final AtomicBoolean gaveUp = new AtomicBoolean();
  private final long maxWaitNanos;
  /** Told once, on the thread that gave up (the hooks cannot log: the agent's log is hidden). */
  private final Runnable whenGivenUp;
  private volatile boolean open;

  public StartDecision(long maxWaitNanos, Runnable whenGivenUp) {
    this.maxWaitNanos = maxWaitNanos;
    this.whenGivenUp = whenGivenUp;
  }

  /** Already yes (the agent's build, tests). */
  public static StartDecision opened() {
    StartDecision decision = new StartDecision(MAX_WAIT_NANOS, () -> { });
    decision.open();
    return decision;
  }

  /** Yes. Ignored once decided. */
  public synchronized void open() {
    if (decided.getCount() != 0) {
      open = true;
      decided.countDown();
    }
  }

  /** No. Ignored once decided. */
  public synchronized void shut() {
    decided.countDown();
  }

  /**
   * The decision, once given; no if it did not come in time. Not interrupted: a class left
   * unwoven would stay so for the JVM's life, an event would be lost (the interrupt is kept).
   */
  public boolean await() {
    long deadline = System.nanoTime() + maxWaitNanos;
    boolean interrupted = false;
    try {
      while (decided.getCount() != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || gaveUp.get()) {
          if (gaveUp.compareAndSet(false, true)) {
            whenGivenUp.run();
          }
          return false;
        }
        try {
          decided.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return open;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // the host's interrupt stays the host's
      }
    }
  }
}
