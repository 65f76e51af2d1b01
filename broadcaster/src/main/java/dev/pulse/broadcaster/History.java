package dev.pulse.broadcaster;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The last N messages of each channel, for {@code resume}: a burst on one channel (thousands of
 * searches) never evicts another's (the pool figures, the errors, the alerts). Seqs are one
 * sequence over all channels, so a channel's ring holds increasing, not contiguous, seqs.
 * Dispatcher thread only.
 */
final class History {
  private final Map<Channel, Ring> rings = new EnumMap<>(Channel.class);
  private long newestSeq;

  History(int capacityPerChannel) {
    for (Channel channel : Channel.values()) {
      rings.put(channel, new Ring(Math.max(1, capacityPerChannel)));
    }
  }

  /** A channel message, in seq order. */
  void add(OutboundMessage message) {
    rings.get(message.channel()).add(message);
    newestSeq = message.seq();
  }

  long newestSeq() {
    return newestSeq;
  }

  /**
   * The lowest seq from which every message of these channels is still held: a client that saw
   * everything before it misses nothing by resuming (1 while none was evicted).
   */
  long completeFrom(Set<Channel> channels) {
    long evicted = 0;
    for (Channel channel : channels) {
      evicted = Math.max(evicted, rings.get(channel).evictedSeq);
    }
    return evicted + 1;
  }

  /** Of these channels, those that evicted a message newer than {@code since}. */
  Set<Channel> lostAfter(long since, Set<Channel> channels) {
    Set<Channel> lost = EnumSet.noneOf(Channel.class);
    for (Channel channel : channels) {
      if (rings.get(channel).evictedSeq > since) {
        lost.add(channel);
      }
    }
    return lost;
  }

  /**
   * Calls {@code action} for every held message of these channels with seq greater than
   * {@code since}, in seq order.
   */
  void replayAfter(long since, Set<Channel> channels, Consumer<OutboundMessage> action) {
    Ring[] from = new Ring[channels.size()];
    int[] next = new int[from.length];
    int n = 0;
    for (Channel channel : channels) {
      Ring ring = rings.get(channel);
      from[n] = ring;
      next[n] = ring.firstAfter(since);
      n++;
    }
    while (true) {
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (next[i] < from[i].size
            && (pick < 0 || from[i].get(next[i]).seq() < from[pick].get(next[pick]).seq())) {
          pick = i;
        }
      }
      if (pick < 0) {
        return;
      }
      action.accept(from[pick].get(next[pick]++));
    }
  }

  /** One channel's newest messages, oldest first. */
  private static final class Ring {
    private final OutboundMessage[] slots;
    private int start;
    int size;
    /** The newest seq this ring let go of; 0 while it has let go of none. */
    long evictedSeq;

    Ring(int capacity) {
      this.slots = new OutboundMessage[capacity];
    }

    void add(OutboundMessage message) {
      if (size == slots.length) {
        evictedSeq = slots[start].seq();
        slots[start] = message;
        start = (start + 1) % slots.length;
      } else {
        slots[(start + size++) % slots.length] = message;
      }
    }

    /** The i-th held message, oldest first. */
    OutboundMessage get(int i) {
      return slots[(start + i) % slots.length];
    }

    /** The index of the first held message with seq greater than {@code since} (size if none). */
    int firstAfter(long since) {
      int low = 0;
      int high = size;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (get(middle).seq() <= since) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }
  }
}
