package dev.pulse.agent.instrumentation;

import dev.pulse.log.PulseLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether woven classes may be defined, decided once by the agent's start thread: yes when every
 * listener is registered (so no event of a woven class is lost), no when JDBC instrumentation is
 * off or the start failed. A class woven before the decision waits for it on its loading thread;
 * every other class passes at once.
 */
final class WeavingGate {
  private static final PulseLog LOG = PulseLog.forComponent("instrumentation");
  /** A start that has not decided by then is broken: the host is not held longer. */
  private static final long MAX_WAIT_SECONDS = 30;

  private final CountDownLatch decided = new CountDownLatch(1);
  private volatile boolean open;

  static WeavingGate opened() {
    WeavingGate gate = new WeavingGate();
    gate.open();
    return gate;
  }

  /** Woven classes are defined from now on. Ignored once decided. */
  synchronized void open() {
    if (decided.getCount() != 0) {
      open = true;
      decided.countDown();
    }
  }

  /** No woven class is defined. Ignored once decided. */
  synchronized void shut() {
    decided.countDown();
  }

  /**
   * Whether a woven class may be defined, once decided; no if no decision came in time. Not
   * interrupted: a class left unwoven would stay so for the JVM's life (the interrupt is kept).
   */
  boolean await() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
    boolean interrupted = false;
    try {
      while (decided.getCount() != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("the agent's start has not finished in " + MAX_WAIT_SECONDS
              + " s; a class loaded meanwhile is left unchanged");
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
