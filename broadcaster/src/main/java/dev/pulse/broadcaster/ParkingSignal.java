package dev.pulse.broadcaster;

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
 */
final class ParkingSignal {
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
  private volatile boolean parked;

  ParkingSignal(Thread consumer) {
    this.consumer = consumer;
  }

  /** Any thread, after handing over work: unparks the consumer if it is parked or about to be. */
  void wake() {
    if (parked && PARKED.compareAndSet(this, true, false)) {
      LockSupport.unpark(consumer);
    }
  }

  /**
   * Consumer thread only: parks until woken, or for at most {@code timeoutNanos} when that is
   * positive, unless {@code hasWork} finds work after the announcement. May return spuriously: the
   * caller looks for work again in any case.
   */
  void park(BooleanSupplier hasWork, long timeoutNanos) {
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
