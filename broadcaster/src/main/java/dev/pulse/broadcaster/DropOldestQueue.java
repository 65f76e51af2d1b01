package dev.pulse.broadcaster;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded multi-producer queue that never blocks and never takes a lock: when full, the oldest
 * element is dropped and counted. The application's threads publish here, so the newest news wins
 * and a slow consumer can cost events but never the publisher's time.
 */
final class DropOldestQueue<T> {
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final int capacity;

  DropOldestQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Returns how many items the queue held just after this one went in (before any drop). */
  int offer(T item) {
    items.offer(item);
    int held = size.incrementAndGet();
    if (held > capacity && items.poll() != null) {
      size.decrementAndGet();
      dropped.incrementAndGet();
    }
    return held;
  }

  T poll() {
    T item = items.poll();
    if (item != null) {
      size.decrementAndGet();
    }
    return item;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  long dropped() {
    return dropped.get();
  }
}
