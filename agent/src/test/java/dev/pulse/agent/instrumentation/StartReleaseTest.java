package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A host's thread waiting for the agent's start: it goes on at the release, keeps its interrupt
 * without giving up, and a start that never comes holds the host once, not at every wait.
 */
class StartReleaseTest {
  private static final long DEADLINE_MILLIS = 30_000;

  @Test
  void aWaitingThreadGoesOnAtTheReleaseAndKeepsItsInterrupt() throws Exception {
    StartRelease release = new StartRelease(StartRelease.MAX_WAIT_NANOS, () -> { });
    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    CompletableFuture<Boolean> released = new CompletableFuture<>();
    Thread host = new Thread(() -> {
      released.complete(release.await());
      interruptKept.complete(Thread.currentThread().isInterrupted());
    }, "host-thread");
    host.setDaemon(true);
    host.start();
    awaitWaiting(host, released);
    host.interrupt();
    awaitWaiting(host, released); // still waiting for the start
    release.release();
    assertTrue(released.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
    assertTrue(interruptKept.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS), "the host's interrupt");
    assertTrue(release.await(), "later waits pass");
  }

  @Test
  void aStartThatNeverComesHoldsTheHostOnceNotAtEveryWait() {
    long maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(200);
    AtomicInteger toldGivenUp = new AtomicInteger();
    StartRelease never = new StartRelease(maxWaitNanos, toldGivenUp::incrementAndGet);
    long start = System.nanoTime();
    assertFalse(never.await());
    assertTrue(System.nanoTime() - start >= maxWaitNanos, "waited the whole limit first");
    int later = 50;
    long laterStart = System.nanoTime();
    for (int i = 0; i < later; i++) {
      assertFalse(never.await());
    }
    // each waiting its own limit would take at least later × 200 ms
    assertTrue(System.nanoTime() - laterStart < later * maxWaitNanos,
        "later waits gave up at once");
    assertEquals(1, toldGivenUp.get(), "told once");
    never.release();
    assertTrue(never.await(), "a release that comes late still counts");
  }

  @Test
  void aWaitBegunBeforeTheGiveUpEndsWithIt() throws Exception {
    long maxWaitNanos = TimeUnit.SECONDS.toNanos(3);
    StartRelease never = new StartRelease(maxWaitNanos, () -> { });
    long firstStart = System.nanoTime();
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(never::await);
    Thread.sleep(1_500); // the second begins at least this much later
    assertFalse(never.await());
    assertFalse(first.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
    // a limit of its own would end it no sooner than 1.5 + 3 s after the first began
    assertTrue(System.nanoTime() - firstStart < TimeUnit.MILLISECONDS.toNanos(4_500),
        "gave up with the first wait");
  }

  private static void awaitWaiting(Thread host, CompletableFuture<Boolean> done)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
    while (host.getState() != Thread.State.TIMED_WAITING) {
      assertFalse(done.isDone(), "went on before the release");
      assertTrue(System.currentTimeMillis() < deadline, "never waited");
      Thread.sleep(5);
    }
    assertFalse(done.isDone(), "went on before the release");
  }
}
