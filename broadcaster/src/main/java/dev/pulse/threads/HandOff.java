package dev.pulse.threads;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands work from the application's threads to one agent thread. Offering is a bounded, lock-free
 * enqueue into a ring that allocates nothing: when the queue is full (a storm the agent thread
 * cannot keep up with) the item is dropped and counted, never waited for. The agent thread is started by the first item and then
 * parks while the queue is empty, without a timeout ({@link ParkingSignal}).
 *
 * <p>Waking a parked thread is a system call on the waker's thread, several microseconds, far more
 * than the enqueue. Where items come in storms (failures), the thread may linger after emptying
 * the queue (a timed park no producer interrupts) and take what gathered meanwhile in one go, as
 * the LMAX Disruptor's phased back-off does before it blocks. Only after a linger that brought
 * nothing does it park without a timeout; a producer wakes it then, or early when a quarter of the
 * queue has gathered. A storm thus costs the producers no wake-up, an isolated item one, and an
 * idle thread nothing.
 *
 * <p>Build it on an agent thread: its thread is made here and carries this thread's context.
 */
public final class HandOff<T> {
  private final BoundedMpscQueue<T> queue;
  private final LongAdder dropped = new LongAdder();
  /** Items waiting at which a producer wakes a lingering thread early, before the queue fills. */
  private final int wakeAt;
  private final long lingerNanos;
  private final ParkingSignal signal;
  private volatile boolean stopped;

  /**
   * @param capacity items that may wait, rounded up to a power of two
   * @param lingerNanos how long the thread waits for more after handling some before it parks
   *     without a timeout; 0 parks at once
   * @param onStart runs first on the new thread (before any item), or null
   * @param handler takes each item on the agent thread; what it throws is ignored
   */
  public HandOff(int capacity, long lingerNanos, String threadName, Runnable onStart,
      Consumer<? super T> handler) {
    this.queue = new BoundedMpscQueue<>(capacity);
    this.wakeAt = Math.max(1, capacity / 4);
    this.lingerNanos = lingerNanos;
    this.signal = new ParkingSignal(
        AgentThreads.unstarted(threadName, () -> consume(onStart, handler)));
  }

  /** Any thread, never blocks: false when the item was dropped (the queue is full, or stopped). */
  public boolean offer(T item) {
    if (stopped) {
      return false;
    }
    long waiting = queue.offer(item);
    if (waiting == 0) {
      dropped.increment();
      return false;
    }
    if (waiting == wakeAt && lingerNanos > 0) {
      signal.nudge();
    } else {
      signal.wake();
    }
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

  /**
   * Any thread: the thread ends once it is done with what it is handling (items still waiting are
   * let go); offers made afterwards are dropped unhandled. A thread never started is never started.
   */
  public void stop() {
    stopped = true;
    if (signal.started()) {
      signal.nudge();
    }
  }

  private void consume(Runnable onStart, Consumer<? super T> handler) {
    if (onStart != null) {
      onStart.run();
    }
    while (!stopped) {
      if (drain(handler) > 0 && lingerNanos > 0) {
        LockSupport.parkNanos(this, lingerNanos);
      } else {
        signal.park(this::hasWork, 0);
      }
    }
  }

  /** Handles every item waiting; returns how many there were. */
  private int drain(Consumer<? super T> handler) {
    int handled = 0;
    for (T item = queue.poll(); item != null && !stopped; item = queue.poll()) {
      handled++;
      try {
        handler.accept(item);
      } catch (Throwable t) {
        // one item that cannot be handled must not stop the others
      }
    }
    return handled;
  }

  private boolean hasWork() {
    return !queue.isEmpty() || stopped;
  }
}
