package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DropOldestQueueTest {

  @Test
  void whenFullTheOldestIsDroppedAndCounted() {
    DropOldestQueue<Integer> queue = new DropOldestQueue<>(3);
    for (int i = 1; i <= 5; i++) {
      queue.offer(i);
    }
    assertEquals(2, queue.dropped());
    assertEquals(3, queue.poll());
    assertEquals(4, queue.poll());
    assertEquals(5, queue.poll());
    assertNull(queue.poll());
    assertTrue(queue.isEmpty());
    // polling made room again
    queue.offer(6);
    queue.offer(7);
    queue.offer(8);
    assertEquals(2, queue.dropped());
    assertEquals(6, queue.poll());
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DropOldestQueue<>(0));
  }

  @Test
  void concurrentPublishersNeverLoseCountOfAnything() throws Exception {
    DropOldestQueue<Integer> queue = new DropOldestQueue<>(64);
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread publisher = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          queue.offer(i);
        }
      });
      publisher.start();
      publishers.add(publisher);
    }
    long consumed = 0;
    go.countDown();
    boolean alive = true;
    while (alive) {
      alive = publishers.stream().anyMatch(Thread::isAlive);
      while (queue.poll() != null) {
        consumed++;
      }
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    while (queue.poll() != null) {
      consumed++;
    }
    assertEquals((long) threads * perThread, consumed + queue.dropped());
  }
}
