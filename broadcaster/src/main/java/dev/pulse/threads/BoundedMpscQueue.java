package dev.pulse.threads;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for many producers and one consumer over a ring of slots (Dmitry Vyukov's
 * bounded queue, as JCTools' MPSC array queue): an offer is one compare-and-set of the tail and
 * two stores into its slot, with nothing allocated, and a full queue refuses at once. Each slot's
 * sequence number says whose turn it is, so a producer never reads the consumer's position and the
 * consumer never reads the producers': the two sides share only the slots they hand over.
 */
final class BoundedMpscQueue<T> {
  private final AtomicReferenceArray<T> items;
  /** Per slot: its index while free for a producer, its index + 1 once filled for the consumer. */
  private final AtomicLongArray sequences;
  private final int mask;
  private final AtomicLong tail = new AtomicLong();
  /** The consumer's alone; volatile so that producers can tell how much is waiting. */
  private volatile long head;

  /** {@code capacity} is rounded up to a power of two. */
  BoundedMpscQueue(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
    items = new AtomicReferenceArray<>(size);
    sequences = new AtomicLongArray(size);
    for (int i = 0; i < size; i++) {
      sequences.lazySet(i, i);
    }
    mask = size - 1;
  }

  /**
   * Any thread: how many items were waiting once this one was added (1 for an empty queue), or 0
   * when the queue is full and the item was not taken.
   */
  long offer(T item) {
    while (true) {
      long position = tail.get();
      int slot = (int) position & mask;
      long turn = sequences.get(slot) - position;
      if (turn < 0) {
        return 0; // the slot still holds an item a full ring ago: full
      }
      if (turn == 0 && tail.compareAndSet(position, position + 1)) {
        items.lazySet(slot, item);
        // a volatile store: the item is visible before the turn, and both before the caller
        // reads whether the consumer parked (ParkingSignal's store-then-load on each side)
        sequences.set(slot, position + 1);
        // at least 1: the consumer may have taken this very item already
        return Math.max(1, position + 1 - head);
      }
      // another producer took this position: try the next
    }
  }

  /** Consumer thread only: the oldest item, or null when none is ready. */
  T poll() {
    long position = head;
    int slot = (int) position & mask;
    if (sequences.get(slot) != position + 1) {
      return null;
    }
    T item = items.get(slot);
    items.lazySet(slot, null); // nothing of the application's is held after it is handled
    sequences.lazySet(slot, position + mask + 1);
    head = position + 1;
    return item;
  }

  /** Consumer thread only. */
  boolean isEmpty() {
    long position = head;
    return sequences.get((int) position & mask) != position + 1;
  }
}
