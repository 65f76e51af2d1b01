package dev.pulse.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A blocking wait for one consumer thread, as in the LMAX Disruptor's blocking wait strategy: the
 * consumer says it is about to park, looks for work once more, and parks with no timeout; a
 * producer, after handing over its work, reads that flag and unparks the consumer only when it is
 * parked. A producer therefore pays one volatile read while the consumer is busy, and an idle
 * consumer is never woken by a timer.
 *
 * <p>Correct because both sides write first and read second through volatile accesses: either the
 * producer sees the flag raised, or the consumer's second look sees the work.
 *
 * <p>The consumer is handed over built but not started, and counts as parked until the first
 * wake-up starts it: a feature that never gets work never costs a thread. It is built by the
 * agent (its class loader, access context and inherited values are the agent's), so starting it
 * from an application thread carries nothing of that thread into it.
 */
public final class ParkingSignal {
  private static final VarHandle PARKED;

  static {
    try {
      PARKED = MethodHandles.lookup().findVarHandle(ParkingSignal.class, "parked", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Thread consumer;
  @SuppressWarnings("unused") // through PARKED
  private volatile boolean parked = true;
  /** Written before the start by the one waker that won the flag; read after winning it again. */
  private volatile boolean started;

  /** {@code consumer} not started yet: the first {@link #wake()} starts it. */
  public ParkingSignal(Thread consumer) {
    this.consumer = consumer;
  }

  /**
   * Any thread, after handing over work: unparks the consumer if it is parked or about to be, or
   * starts it the first time. Never throws: a consumer that cannot start leaves its work undone.
   */
  public void wake() {
    if (parked && PARKED.compareAndSet(this, true, false)) {
      if (started) {
        LockSupport.unpark(consumer);
        return;
      }
      started = true;
      try {
        consumer.start();
      } catch (Throwable t) {
        // no thread to be had (the host is out of them): the feature stays idle, the host runs
      }
    }
  }

  /**
   * Any thread: wakes the consumer even from a timed park it did not announce (a linger), or does
   * what {@link #wake()} does when it has not started. A consumer woken early looks for work and
   * parks again.
   */
  public void nudge() {
    if (started) {
      LockSupport.unpark(consumer);
    } else {
      wake();
    }
  }

  /** Whether some work ever started the consumer. */
  public boolean started() {
    return started;
  }

  /**
   * Consumer thread only: parks until woken, or for at most {@code timeoutNanos} when that is
   * positive, unless {@code hasWork} finds work after the announcement. May return spuriously: the
   * caller looks for work again in any case.
   */
  public void park(BooleanSupplier hasWork, long timeoutNanos) {
    parked = true;
    if (!hasWork.getAsBoolean()) {
      if (timeoutNanos > 0) {
        LockSupport.parkNanos(this, timeoutNanos);
      } else {
        LockSupport.park(this);
      }
    }
    parked = false;
  }
}
