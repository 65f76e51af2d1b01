package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-collection event rate, driven by a clock the test sets (no sleeping, no timing). */
class EventRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void belowTheRateEverySearchGetsItsEventWithWeightOne() {
    EventRate rate = new EventRate(50);
    long now = 5 * SECOND;
    for (int i = 0; i < 1000; i++) {
      assertEquals(1, rate.admit(now), "search " + i);
      now += SECOND / 40; // 40 a second, under 50
    }
  }

  @Test
  void aBurstOfOneSecondsWorthPassesWhole() {
    EventRate rate = new EventRate(50);
    for (int i = 0; i < 50; i++) {
      assertEquals(1, rate.admit(SECOND), "search " + i + " of a burst of 50");
    }
    assertEquals(0, rate.admit(SECOND), "the 51st in the same instant");
  }

  @Test
  void aboveTheRateEventsAreSampledAndTheirWeightsSumToTheSearches() {
    EventRate rate = new EventRate(5);
    long now = SECOND;
    long events = 0;
    long weights = 0;
    int searches = 10_000;
    for (int i = 0; i < searches; i++) {
      long weight = rate.admit(now);
      if (weight > 0) {
        events++;
        weights += weight;
      }
      now += SECOND / 1000; // 1,000 a second for 10 seconds
    }
    // the searches after the last event are carried by the next one
    long afterLast = searches - weights;
    assertTrue(afterLast >= 0 && afterLast < 1000, "at most a fifth of a second's searches pending");
    assertEquals(searches + 1, weights + rate.admit(now + SECOND), "the next event carries them");
    // 5 a second over 10 seconds, plus the first second's burst of 5
    assertTrue(events >= 50 && events <= 56, events + " events");
  }

  @Test
  void zeroSendsEverySearch() {
    EventRate rate = new EventRate(0);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(1, rate.admit(SECOND));
    }
  }

  @Test
  void concurrentSearchesLoseNoWeight() throws Exception {
    EventRate rate = new EventRate(100);
    int threads = 4;
    int each = 50_000;
    AtomicLong weights = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          weights.addAndGet(rate.admit(System.nanoTime()));
        }
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    // one more search a second later carries whatever is still pending
    long total = weights.get() + rate.admit(System.nanoTime() + 2 * SECOND);
    assertEquals((long) threads * each + 1, total);
  }
}
