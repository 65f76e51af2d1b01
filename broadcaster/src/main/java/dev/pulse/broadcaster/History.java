package dev.pulse.broadcaster;

import java.util.function.Consumer;

/**
 * The last N channel messages, for {@code resume}. Sequence numbers are contiguous, so a message's
 * slot is its seq modulo the capacity. Dispatcher thread only.
 */
final class History {
  private final OutboundMessage[] ring;
  private long oldestSeq = 1;
  private long newestSeq;

  History(int capacity) {
    this.ring = new OutboundMessage[Math.max(1, capacity)];
  }

  void add(OutboundMessage message) {
    ring[(int) (message.seq() % ring.length)] = message;
    newestSeq = message.seq();
    oldestSeq = Math.max(1, newestSeq - ring.length + 1);
  }

  /** Seq of the oldest message still held; newestSeq() + 1 when empty. */
  long oldestSeq() {
    return newestSeq == 0 ? 1 : oldestSeq;
  }

  long newestSeq() {
    return newestSeq;
  }

  /** Calls {@code action} for every held message with seq greater than {@code since}, in order. */
  int replayAfter(long since, Consumer<OutboundMessage> action) {
    if (since >= newestSeq) {
      return 0; // nothing newer; and since + 1 below cannot overflow
    }
    int count = 0;
    for (long seq = Math.max(since + 1, oldestSeq()); seq <= newestSeq; seq++) {
      action.accept(ring[(int) (seq % ring.length)]);
      count++;
    }
    return count;
  }
}
