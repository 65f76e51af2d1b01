package dev.pulse.agent.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class FailureQueueTest {
  private static CapturedFailure failure(int n) {
    return new CapturedFailure(CapturedFailure.Kind.STATEMENT, new SQLException("failure " + n),
        null, null, null, null, System.nanoTime());
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch taken = new CountDownLatch(1);
    List<String> handled = new CopyOnWriteArrayList<>();
    FailureQueue queue = new FailureQueue(2, 1_000_000, "test-failures-full", f -> {
      taken.countDown();
      await(release);
      handled.add(f.failure.getMessage());
    });
    assertTrue(queue.offer(failure(1)));
    assertTrue(taken.await(10, TimeUnit.SECONDS)); // the consumer holds the first, stuck
    assertTrue(queue.offer(failure(2)));
    assertTrue(queue.offer(failure(3)));
    assertFalse(queue.offer(failure(4)), "full: dropped, not waited for");
    assertEquals(1, queue.takeDropped());
    assertEquals(0, queue.takeDropped(), "counted once");
    release.countDown();
    waitFor(() -> handled.size() == 3);
    assertEquals(List.of("failure 1", "failure 2", "failure 3"), handled);
  }

  @Test
  void theConsumerParksWithoutTimeoutWhenIdleAndWakesForWork() throws Exception {
    List<String> handled = new CopyOnWriteArrayList<>();
    FailureQueue queue = new FailureQueue(8, 1_000_000, "test-failures-park", f -> handled.add(f.failure.getMessage()));
    Thread consumer = thread("test-failures-park");
    // WAITING, not TIMED_WAITING: parked until a producer unparks it, no polling
    waitFor(() -> consumer.getState() == Thread.State.WAITING);
    for (int round = 0; round < 100; round++) {
      queue.offer(failure(round));
      int expected = round + 1;
      waitFor(() -> handled.size() == expected);
    }
    waitFor(() -> consumer.getState() == Thread.State.WAITING);
  }

  @Test
  void failuresGatherWhileTheThreadLingersWithoutWakingItUntilAQuarterOfTheQueue() throws Exception {
    List<String> handled = new CopyOnWriteArrayList<>();
    FailureQueue queue = new FailureQueue(100, TimeUnit.MINUTES.toNanos(10), "test-failures-linger",
        f -> handled.add(f.failure.getMessage()));
    Thread consumer = thread("test-failures-linger");
    waitFor(() -> consumer.getState() == Thread.State.WAITING);
    queue.offer(failure(0)); // parked without a timeout: woken
    waitFor(() -> handled.size() == 1);
    waitFor(() -> consumer.getState() == Thread.State.TIMED_WAITING); // lingering for more
    for (int n = 1; n < 25; n++) {
      queue.offer(failure(n)); // 24 waiting: no producer wakes it
    }
    Thread.sleep(300);
    assertEquals(1, handled.size(), "gathered during the linger, nobody paid a wake-up");
    assertEquals(Thread.State.TIMED_WAITING, consumer.getState());
    queue.offer(failure(25)); // a quarter of the queue: this producer wakes it, long before the linger ends
    waitFor(() -> handled.size() == 26);
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.sleep(5);
    }
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .findFirst().orElseThrow();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
