package dev.pulse.agent.firewall;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands failures from the application's threads to one agent thread. Offering is a bounded,
 * lock-free enqueue: when the queue is full (a storm the agent thread cannot keep up with) the
 * failure is dropped and counted, never waited for.
 *
 * <p>Waking a parked thread is a system call on the waker's thread, several microseconds, far more
 * than the enqueue; and failures come in storms, faster than one is classified. So the agent thread
 * does not park at once when it has emptied the queue: it first lingers (a timed park nobody
 * interrupts) and takes what gathered meanwhile in one go, as the LMAX Disruptor's phased back-off
 * does before it blocks. Only after a linger that brought nothing does it park without a timeout,
 * announced by a flag; a producer wakes it only then, or when a quarter of the queue has gathered
 * during a linger. A storm thus costs the failing threads no wake-up at all, an isolated failure
 * one, and an idle agent nothing.
 */
final class FailureQueue {
  private final ConcurrentLinkedQueue<CapturedFailure> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final int capacity;
  /** Failures waiting at which a producer wakes a lingering thread early, before the queue fills. */
  private final int wakeAt;
  private final long lingerNanos;
  private final Thread consumer;
  private volatile boolean parked;

  FailureQueue(int capacity, long lingerNanos, String threadName, Consumer<CapturedFailure> handler) {
    this.capacity = capacity;
    this.wakeAt = Math.max(1, capacity / 4);
    this.lingerNanos = lingerNanos;
    this.consumer = new Thread(() -> consume(handler), threadName);
    consumer.setDaemon(true);
    consumer.start();
  }

  /** On the application's thread: false when the failure was dropped (the queue is full). */
  boolean offer(CapturedFailure failure) {
    int waiting = size.incrementAndGet();
    if (waiting > capacity) {
      size.decrementAndGet();
      dropped.increment();
      return false;
    }
    queue.offer(failure);
    if (parked || waiting == wakeAt) {
      LockSupport.unpark(consumer);
    }
    return true;
  }

  /** Failures dropped since the previous call. */
  long takeDropped() {
    return dropped.sumThenReset();
  }

  private void consume(Consumer<CapturedFailure> handler) {
    while (true) {
      if (drain(handler) > 0) {
        LockSupport.parkNanos(this, lingerNanos);
        continue;
      }
      parked = true;
      // re-checked after announcing: a producer that enqueued before seeing the flag is not missed
      if (queue.isEmpty()) {
        LockSupport.park(this);
      }
      parked = false;
    }
  }

  /** Handles every failure waiting; returns how many there were. */
  private int drain(Consumer<CapturedFailure> handler) {
    int handled = 0;
    for (CapturedFailure failure = queue.poll(); failure != null; failure = queue.poll()) {
      size.decrementAndGet();
      handled++;
      try {
        handler.accept(failure);
      } catch (Throwable t) {
        // one failure that cannot be classified must not stop the others
      }
    }
    return handled;
  }
}
