package dev.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A task's first run comes at once only when its condition for that holds as it is scheduled, or
 * at the first review that finds it holds.
 */
class DemandScheduleTest {
  private static final long LONG_PERIOD_MILLIS = 60_000; // no second run within any test

  @Test
  void aFirstRunPutOffComesAtTheReviewThatFindsItWantedAtOnce() throws Exception {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    try {
      DemandSchedule demand = new DemandSchedule(scheduler);
      AtomicBoolean client = new AtomicBoolean();
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch ran = new CountDownLatch(1);
      demand.add(() -> {
        runs.incrementAndGet();
        ran.countDown();
      }, LONG_PERIOD_MILLIS, client::get, () -> true);
      // the scheduler's one thread runs what is due in order: a first run at once would come
      // before this marker
      scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
      assertEquals(0, runs.get(), "ran at once with no client");
      client.set(true);
      demand.review();
      assertTrue(ran.await(10, TimeUnit.SECONDS), "no run at the review that found a client");
      assertEquals(1, runs.get());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aFirstRunWantedAtOnceComesAtOnce() throws Exception {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    try {
      CountDownLatch ran = new CountDownLatch(1);
      new DemandSchedule(scheduler).add(ran::countDown, LONG_PERIOD_MILLIS, () -> true,
          () -> true);
      assertTrue(ran.await(10, TimeUnit.SECONDS));
    } finally {
      scheduler.shutdownNow();
    }
  }
}
