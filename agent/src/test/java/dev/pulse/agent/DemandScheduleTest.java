package dev.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A task's first run comes at once only when its condition for that holds as it is scheduled. */
class DemandScheduleTest {
  private static final long LONG_PERIOD_MILLIS = 60_000; // no second run within any test

  @Test
  void theFirstRunComesAtOnceOnlyWhenAsked() throws Exception {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    try {
      DemandSchedule demand = new DemandSchedule(scheduler);
      AtomicBoolean client = new AtomicBoolean();
      AtomicBoolean wanted = new AtomicBoolean(true);
      AtomicInteger runsWithoutClient = new AtomicInteger();
      demand.add(runsWithoutClient::incrementAndGet, LONG_PERIOD_MILLIS, client::get, wanted::get);
      scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS); // the add above is done
      CountDownLatch ranWithClient = new CountDownLatch(1);
      client.set(true);
      demand.add(ranWithClient::countDown, LONG_PERIOD_MILLIS, client::get, wanted::get);
      assertTrue(ranWithClient.await(10, TimeUnit.SECONDS), "no first run at once with a client");
      // the first, put on the schedule with no client, waits its period; had it run at once, it
      // would have run before the second (the scheduler's one thread runs both in order)
      assertEquals(0, runsWithoutClient.get());
    } finally {
      scheduler.shutdownNow();
    }
  }
}
