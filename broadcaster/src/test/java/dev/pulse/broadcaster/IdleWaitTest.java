package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import dev.pulse.threads.ParkingSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's blocking wait: idle, its thread is parked with no timeout (nothing wakes it),
 * and no event is ever left waiting because a publisher's wake-up and the thread's parking crossed.
 */
class IdleWaitTest {

  @Test
  void anIdleDispatcherParksWithoutATimeoutAndWakesForTheNextEvent() throws Exception {
    long newestBefore = newestThreadId();
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      Thread.sleep(200);
      assertTrue(dispatcherThread().getId() < newestBefore,
          "no client, no event: no dispatcher thread started");
      try (WsTestClient client = Streams.client(broadcaster)) {
        Streams.sync(client);
        Thread dispatcher = dispatcherThread();
        assertTrue(dispatcher.getId() > newestBefore, "the first client started it");
        awaitParkedWithoutTimeout(dispatcher); // a client, no event
        // a quiet spell, then one event: it arrives (a lost wake-up would leave it queued)
        Thread.sleep(2000);
        assertEquals(Thread.State.WAITING, dispatcher.getState());
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "after_quiet", 1));
        client.awaitType("after_quiet", WAIT);
        awaitParkedWithoutTimeout(dispatcher);
      }
    }
  }

  @Test
  void eventsPublishedWithNoClientReachTheFirstClientToConnect() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      // fewer than a batch: with nobody connected they wait, and a connect brings them out
      for (int i = 1; i <= 3; i++) {
        broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "pool-" + i,
            java.util.Map.of("n", i)));
      }
      try (WsTestClient client = Streams.client(broadcaster)) {
        for (int i = 1; i <= 3; i++) {
          assertEquals(i, client.awaitType("pool_stats", WAIT).get("data").get("n").asInt());
        }
        client.send("{\"action\":\"resume\",\"since\":0}");
        assertEquals(3, client.awaitType("resumed", WAIT).get("data").get("replayed").asInt());
      }
    }
  }

  @Test
  void publishersRacingTheParkingThreadLoseNoEvent() throws Exception {
    int publishers = 4;
    int each = 3000;
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().queueCapacity(1 << 16));
        WsTestClient client = Streams.client(broadcaster)) {
      Streams.sync(client);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        Thread thread = new Thread(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < each; i++) {
            broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "raced", publisher * each + i));
            // pauses around the dispatcher's own drain time, so that publishing and parking cross
            int pause = random.nextInt(4);
            if (pause == 0) {
              LockSupport.parkNanos(random.nextInt(50_000));
            } else if (pause == 1) {
              Thread.yield();
            }
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(2));
      }
      Set<Integer> seen = new HashSet<>();
      while (seen.size() < publishers * each) {
        JsonNode event = client.awaitType("raced", Duration.ofSeconds(30));
        seen.add(event.get("data").get("n").asInt());
      }
      assertEquals(0, broadcaster.droppedEvents());
    }
  }

  @Test
  void pingsRunWhileAClientIsConnectedAndOnlyThen() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().pingIntervalSeconds(1))) {
      long before = pingTimers(); // other tests' servers, if any are still closing
      try (WsTestClient client = Streams.client(broadcaster)) {
        Streams.sync(client);
        assertTrue(awaitPingTimers(count -> count > before), "a client: its liveness is checked");
      }
      assertTrue(awaitPingTimers(count -> count <= before), "the last client gone: no timer");
    }
  }

  /** Java-WebSocket's liveness checker threads alive now. */
  private static long pingTimers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("connectionLostChecker") && t.isAlive()).count();
  }

  private static boolean awaitPingTimers(LongPredicate wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (wanted.test(pingTimers())) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The newest dispatcher thread (this test's, once started), or a stand-in with id -1. */
  private static Thread dispatcherThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("pulse-broadcaster") && t.isAlive())
        .reduce((a, b) -> b.getId() > a.getId() ? b : a)
        .orElseGet(() -> new Thread("none") {
          @Override
          public long getId() {
            return -1;
          }
        });
  }

  private static long newestThreadId() {
    Thread marker = new Thread(() -> { });
    return marker.getId();
  }

  /** WAITING, not TIMED_WAITING: parked until someone unparks it. */
  private static void awaitParkedWithoutTimeout(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(Thread.State.WAITING, thread.getState(), "the dispatcher's state");
    assertTrue(LockSupport.getBlocker(thread) instanceof ParkingSignal,
        "parked in its blocking wait, blocker " + LockSupport.getBlocker(thread));
  }
}
