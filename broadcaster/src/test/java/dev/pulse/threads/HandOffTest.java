package dev.pulse.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class HandOffTest {

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch taken = new CountDownLatch(1);
    List<String> handled = new CopyOnWriteArrayList<>();
    HandOff<String> queue = new HandOff<>(2, 0, "test-handoff-full", null, item -> {
      taken.countDown();
      await(release);
      handled.add(item);
    });
    assertTrue(queue.offer("item 1"));
    assertTrue(taken.await(10, TimeUnit.SECONDS)); // the consumer holds the first, stuck
    assertTrue(queue.offer("item 2"));
    assertTrue(queue.offer("item 3"));
    assertFalse(queue.offer("item 4"), "full: dropped, not waited for");
    assertEquals(1, queue.takeDropped());
    assertEquals(0, queue.takeDropped(), "counted once");
    release.countDown();
    waitFor(() -> handled.size() == 3);
    assertEquals(List.of("item 1", "item 2", "item 3"), handled);
  }

  @Test
  void noThreadUntilTheFirstItemThenItParksWithoutTimeoutAndWakesForWork() throws Exception {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    List<String> started = new CopyOnWriteArrayList<>();
    HandOff<Integer> queue = new HandOff<>(8, 0, "test-handoff-park",
        () -> started.add(Thread.currentThread().getName()), handled::add);
    Thread.sleep(100);
    assertFalse(thread("test-handoff-park").isPresent(), "no work yet, no thread");
    for (int round = 0; round < 100; round++) {
      queue.offer(round);
      int expected = round + 1;
      waitFor(() -> handled.size() == expected);
    }
    assertEquals(List.of("test-handoff-park"), started, "started once, on its own thread");
    Thread consumer = thread("test-handoff-park").orElseThrow();
    // WAITING, not TIMED_WAITING: parked until a producer unparks it, no polling
    waitFor(() -> consumer.getState() == Thread.State.WAITING);
    assertTrue(consumer.isDaemon());
  }

  @Test
  void theThreadCarriesNoInheritableValueOfTheThreadThatStartedIt() throws Exception {
    InheritableThreadLocal<String> applications = new InheritableThreadLocal<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    HandOff<String> queue = new HandOff<>(8, 0, "test-handoff-inherit", null,
        item -> seen.add(String.valueOf(applications.get())));
    Thread application = new Thread(() -> {
      applications.set("the application's");
      queue.offer("first");
    });
    application.start();
    application.join();
    waitFor(() -> seen.size() == 1);
    assertEquals(List.of("null"), seen);
  }

  @Test
  void itemsGatherWhileTheThreadLingersWithoutWakingItUntilAQuarterOfTheQueue() throws Exception {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    HandOff<Integer> queue = new HandOff<>(100, TimeUnit.MINUTES.toNanos(10), "test-handoff-linger",
        null, handled::add);
    queue.offer(0); // starts the thread
    waitFor(() -> handled.size() == 1);
    Thread consumer = thread("test-handoff-linger").orElseThrow();
    waitFor(() -> consumer.getState() == Thread.State.TIMED_WAITING); // lingering for more
    for (int n = 1; n < 25; n++) {
      queue.offer(n); // 24 waiting: no producer wakes it
    }
    Thread.sleep(300);
    assertEquals(1, handled.size(), "gathered during the linger, nobody paid a wake-up");
    assertEquals(Thread.State.TIMED_WAITING, consumer.getState());
    queue.offer(25); // a quarter of the queue: this producer wakes it, long before the linger ends
    waitFor(() -> handled.size() == 26);
  }

  @Test
  void stoppedItsThreadEndsAndLaterItemsAreRefused() throws Exception {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    HandOff<Integer> queue = new HandOff<>(8, 0, "test-handoff-stop", null, handled::add);
    queue.offer(1);
    waitFor(() -> handled.size() == 1);
    Thread consumer = thread("test-handoff-stop").orElseThrow();
    waitFor(() -> consumer.getState() == Thread.State.WAITING);
    queue.stop();
    consumer.join(TimeUnit.SECONDS.toMillis(20));
    assertFalse(consumer.isAlive(), "ended");
    assertFalse(queue.offer(2), "refused once stopped");

    HandOff<Integer> never = new HandOff<>(8, 0, "test-handoff-never", null, handled::add);
    never.stop();
    assertFalse(never.offer(3));
    assertFalse(thread("test-handoff-never").isPresent(), "stopped before any work: no thread");
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.sleep(5);
    }
  }

  private static java.util.Optional<Thread> thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .findFirst();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
