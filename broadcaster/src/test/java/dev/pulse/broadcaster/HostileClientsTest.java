package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import dev.pulse.testing.WsTestClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many hostile clients at once, with a reader beside them: a hundred that connect and never read
 * (the server's heap stays within what the per-client budget allows, measured), and fifty killed in
 * the middle of a frame (their sessions go, the others carry on).
 */
class HostileClientsTest {
  private static final String FAT = "x".repeat(2000);
  private static final int BUDGET = 256 * 1024;
  private static final int QUEUE = 1000;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  @Test
  void aHundredClientsThatNeverReadCostBoundedHeapAndAreAllCutOff() throws Exception {
    int stuckCount = 100;
    BroadcasterConfig config = new BroadcasterConfig().maxPendingBytesPerClient(BUDGET)
        .queueCapacity(QUEUE).maxClients(stuckCount + 10);
    try (Broadcaster broadcaster = Streams.start(config);
        WsTestClient reader = Streams.client(broadcaster)) {
      List<RawFrameClient> stuck = new ArrayList<>();
      try {
        for (int i = 0; i < stuckCount; i++) {
          RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 4096);
          assertTrue(client.upgraded(), client.statusLine());
          stuck.add(client);
        }
        Streams.sync(reader);
        awaitClients(broadcaster, stuckCount + 1);
        long baseline = heapAfterGc();
        long peak = baseline;
        int sent = 0;
        long deadline = System.nanoTime() + 4 * WAIT.toNanos();
        // publish at a pace a reader keeps up with, until every stuck client is cut off
        while (broadcaster.slowClientsClosed() < stuckCount && System.nanoTime() < deadline) {
          for (int i = 0; i < 200; i++) {
            broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "fat", Map.of("n", sent++, "pad", FAT)));
            if (i % 10 == 9) {
              Thread.sleep(5); // ~4 MB/s: a reading client keeps up, a stuck one cannot
            }
          }
          for (int i = sent - 200; i < sent; i++) {
            try {
              assertEquals(i, reader.awaitType("fat", WAIT).get("data").get("n").asInt());
            } catch (AssertionError e) {
              throw new AssertionError("event " + i + " of " + sent + "; clients "
                  + broadcaster.clientCount() + ", cut " + broadcaster.slowClientsClosed()
                  + ", dropped " + broadcaster.droppedEvents(), e);
            }
          }
          peak = Math.max(peak, heapAfterGc());
        }
        assertEquals(stuckCount, broadcaster.slowClientsClosed(), "all cut off with 4008");
        awaitClients(broadcaster, 1);
        assertEquals(0, broadcaster.droppedEvents(), "the reader lost nothing");
        long grown = peak - baseline;
        // each stuck client may hold twice its budget before the hard cut; the queue its capacity
        long bound = stuckCount * 2L * BUDGET + QUEUE * 2200L + 16L * 1024 * 1024;
        System.out.printf("100 clients that never read: heap after GC %d KB at start, %d KB at peak"
            + " (+%d KB; bound %d KB), %d events of 2 KB published%n", baseline / 1024,
            peak / 1024, grown / 1024, bound / 1024, sent);
        assertTrue(grown < bound, "heap grew by " + grown / 1024 + " KB, bound " + bound / 1024);
      } finally {
        for (RawFrameClient client : stuck) {
          client.close();
        }
      }
    }
  }

  @Test
  void clientsKilledMidFrameLeaveNoSessionBehindAndOthersUnharmed() throws Exception {
    Random random = new Random(7);
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxClients(200));
        WsTestClient reader = Streams.client(broadcaster)) {
      Streams.sync(reader);
      int published = 0;
      for (int i = 0; i < 50; i++) {
        RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 64 * 1024);
        assertTrue(client.upgraded(), client.statusLine());
        // a header promising 300 bytes, then a part of them: the frame never completes
        byte[] partial = new byte[2 + 2 + 4 + random.nextInt(200)];
        partial[0] = (byte) 0x81;
        partial[1] = (byte) (0x80 | 126);
        partial[2] = 0x01;
        partial[3] = 0x2C;
        int partialLength = 1 + random.nextInt(partial.length - 1);
        client.sendRaw(java.util.Arrays.copyOf(partial, partialLength));
        broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "tick", published++));
        if (random.nextBoolean()) {
          client.abort(); // RST, as a killed process
        } else {
          client.close(); // FIN mid-frame
        }

      }
      awaitClients(broadcaster, 1);
      for (int i = 0; i < published; i++) {
        assertEquals(i, reader.awaitType("tick", WAIT).get("data").get("n").asInt());
      }
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "tick", published));
      assertEquals(published, reader.awaitType("tick", WAIT).get("data").get("n").asInt());
    }
  }

  /**
   * Sessions leave on the dispatcher's thread after the network threads saw the close: on a busy
   * machine that takes a while, so the wait is generous (it ends as soon as the count is right).
   */
  private static void awaitClients(Broadcaster broadcaster, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 3 * WAIT.toNanos();
    while (broadcaster.clientCount() != count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(count, broadcaster.clientCount());
  }

  private static long heapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(20);
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
