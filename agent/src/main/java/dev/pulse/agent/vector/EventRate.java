package dev.pulse.agent.vector;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, on the application's thread, whether one search of a collection gets its own
 * search_completed: at most {@code perSecond} a second, with a second's worth of burst, as a
 * lock-free token bucket in the form of a theoretical arrival time (GCRA). A search that gets no
 * event is counted, and the collection's next event stands for it: the weights of all events sum
 * to the searches seen. Below the rate every search gets its event, weight 1. A dropped search costs
 * a volatile read, a comparison and one atomic add; nothing is allocated.
 */
final class EventRate {
  private final long spacingNanos;
  private final long burstNanos;
  /** When the bucket would be full again (System.nanoTime()); Long.MIN_VALUE before the first. */
  private final AtomicLong theoretical = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong skipped = new AtomicLong();

  /** @param perSecond events a second at most; 0 or less lets every search through */
  EventRate(int perSecond) {
    this.spacingNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
    this.burstNanos = perSecond <= 0 ? 0 : (perSecond - 1) * spacingNanos;
  }

  /**
   * 0 when this search gets no event (it is counted towards the next one), otherwise how many
   * searches the event stands for: this one and those skipped since the collection's last event.
   */
  long admit(long nowNanos) {
    if (spacingNanos == 0) {
      return 1;
    }
    while (true) {
      long tat = theoretical.get();
      long base = tat == Long.MIN_VALUE || tat - nowNanos < 0 ? nowNanos : tat;
      if (base - nowNanos > burstNanos) {
        skipped.incrementAndGet();
        return 0;
      }
      if (theoretical.compareAndSet(tat, base + spacingNanos)) {
        return 1 + skipped.getAndSet(0);
      }
    }
  }
}
