package dev.pulse.agent.firewall;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands failures from the application's threads to one agent thread. Offering is a bounded,
 * lock-free enqueue: when the queue is full (a storm the agent thread cannot keep up with) the
 * failure is dropped and counted, never waited for. The agent thread parks while the queue is
 * empty, without a timeout; a producer unparks it only when it announced it was parking.
 */
final class FailureQueue {
  private final ConcurrentLinkedQueue<CapturedFailure> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final int capacity;
  private final Thread consumer;
  private volatile boolean parked;

  FailureQueue(int capacity, String threadName, Consumer<CapturedFailure> handler) {
    this.capacity = capacity;
    this.consumer = new Thread(() -> consume(handler), threadName);
    consumer.setDaemon(true);
    consumer.start();
  }

  /** On the application's thread: false when the failure was dropped (the queue is full). */
  boolean offer(CapturedFailure failure) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      dropped.increment();
      return false;
    }
    queue.offer(failure);
    if (parked) {
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
      CapturedFailure failure = queue.poll();
      if (failure == null) {
        parked = true;
        // re-checked after announcing: a producer that enqueued before seeing the flag is not missed
        if (queue.isEmpty()) {
          LockSupport.park(this);
        }
        parked = false;
        continue;
      }
      size.decrementAndGet();
      try {
        handler.accept(failure);
      } catch (Throwable t) {
        // one failure that cannot be classified must not stop the others
      }
    }
  }
}
