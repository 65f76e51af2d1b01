package dev.pulse.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedMpscQueueTest {

  @Test
  void takesUpToItsCapacityInOrderThenRefusesUntilTheConsumerTakes() {
    BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(6); // rounded up to 8
    for (int i = 1; i <= 8; i++) {
      assertEquals(i, queue.offer(i), "items waiting once it was added");
    }
    assertEquals(0, queue.offer(9), "full");
    assertEquals(1, queue.poll());
    assertEquals(8, queue.offer(9), "one slot free again");
    for (int i = 2; i <= 9; i++) {
      assertEquals(i, queue.poll());
    }
    assertNull(queue.poll());
    assertTrue(queue.isEmpty());
  }

  @Test
  void everyItemOfFourProducersArrivesOnceInItsProducersOrder() throws Exception {
    BoundedMpscQueue<long[]> queue = new BoundedMpscQueue<>(64);
    int producers = 4;
    int each = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread = new Thread(() -> {
        await(start);
        for (int n = 0; n < each; n++) {
          while (queue.offer(new long[] {producer, n}) == 0) {
            Thread.onSpinWait(); // full: this test's producers retry, HandOff's drop
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    int[] next = new int[producers];
    long received = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received < (long) producers * each) {
      long[] item = queue.poll();
      if (item == null) {
        assertTrue(System.nanoTime() < deadline, "items missing after 60 s: " + received);
        Thread.onSpinWait();
        continue;
      }
      // each producer's items come in its own order, none lost, none twice
      assertEquals(next[(int) item[0]]++, item[1]);
      received++;
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertNull(queue.poll());
  }

  @Test
  void anItemTakenIsNoLongerHeld() throws Exception {
    BoundedMpscQueue<Object> queue = new BoundedMpscQueue<>(4);
    Object item = new Object();
    WeakReference<Object> reference = new WeakReference<>(item);
    queue.offer(item);
    queue.poll();
    item = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (reference.get() != null) {
      assertTrue(System.nanoTime() < deadline, "the queue still holds the item it handed over");
      System.gc();
      Thread.sleep(10);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
