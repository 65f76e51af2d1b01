package dev.pulse.threads;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Hands work from the application's threads to one agent thread. Offering is a bounded, lock-free
 * enqueue: when the queue is full (a storm the agent thread cannot keep up with) the item is
 * dropped and counted, never waited for. The agent thread is started by the first item and then
 * parks while the queue is empty, without a timeout ({@link ParkingSignal}).
 *
 * <p>Build it on an agent thread: its thread is made here and carries this thread's context.
 */
public final class HandOff<T> {
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final int capacity;
  private final ParkingSignal signal;

  /**
   * @param onStart runs first on the new thread (before any item), or null
   * @param handler takes each item on the agent thread; what it throws is ignored
   */
  public HandOff(int capacity, String threadName, Runnable onStart, Consumer<? super T> handler) {
    this.capacity = capacity;
    this.signal = new ParkingSignal(
        AgentThreads.unstarted(threadName, () -> consume(onStart, handler)));
  }

  /** Any thread, never blocks: false when the item was dropped (the queue is full). */
  public boolean offer(T item) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      dropped.increment();
      return false;
    }
    queue.offer(item);
    signal.wake();
    return true;
  }

  /** Items dropped since the previous call. */
  public long takeDropped() {
    return dropped.sumThenReset();
  }

  /** Items dropped so far (not reset). */
  public long dropped() {
    return dropped.sum();
  }

  private void consume(Runnable onStart, Consumer<? super T> handler) {
    if (onStart != null) {
      onStart.run();
    }
    while (true) {
      T item = queue.poll();
      if (item == null) {
        signal.park(this::hasWork, 0);
        continue;
      }
      size.decrementAndGet();
      try {
        handler.accept(item);
      } catch (Throwable t) {
        // one item that cannot be handled must not stop the others
      }
    }
  }

  private boolean hasWork() {
    return !queue.isEmpty();
  }
}
