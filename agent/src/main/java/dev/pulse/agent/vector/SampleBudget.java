package dev.pulse.agent.vector;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which searches a background re-run may take, decided on the application's thread in a few
 * atomic operations: a share of searches (rate), at most a number per second (budget), and never
 * more than a short queue of them waiting.
 */
final class SampleBudget {
  private final double rate;
  private final int perSecond;
  private final int maxQueued;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong second = new AtomicLong();
  private final AtomicInteger usedThisSecond = new AtomicInteger();

  SampleBudget(double rate, int perSecond, int maxQueued) {
    this.rate = rate;
    this.perSecond = perSecond;
    this.maxQueued = maxQueued;
  }

  /** True when this search should be taken; the caller then queues it ({@link #queued()}). */
  boolean wants() {
    if (rate <= 0 || (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate)
        || queued.get() >= maxQueued) {
      return false;
    }
    long now = System.nanoTime() / 1_000_000_000L;
    long held = second.get();
    if (held != now && second.compareAndSet(held, now)) {
      usedThisSecond.set(0);
    }
    return usedThisSecond.incrementAndGet() <= perSecond;
  }

  void queued() {
    queued.incrementAndGet();
  }

  void taken() {
    queued.decrementAndGet();
  }
}
