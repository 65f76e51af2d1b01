package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import dev.pulse.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowClientTest {
  private static final String FAT = "x".repeat(2000);

  @Test
  void aClientThatNeverReadsIsCutOffWhileThePublisherAndOthersCarryOn() throws Exception {
    BroadcasterConfig config = new BroadcasterConfig().maxPendingBytesPerClient(256 * 1024)
        .queueCapacity(100_000);
    try (Broadcaster broadcaster = Streams.start(config);
        WsTestClient reader = Streams.client(broadcaster);
        RawFrameClient stuck = RawFrameClient.connect(broadcaster.port(), 4096)) {
      assertTrue(stuck.upgraded(), stuck.statusLine());
      Streams.sync(reader);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (broadcaster.clientCount() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(2, broadcaster.clientCount());

      int events = 4000; // ~8 MB in all: far beyond socket buffers and the 256 KiB budget
      long slowestPublishNanos = 0;
      for (int i = 0; i < events; i++) {
        long start = System.nanoTime();
        broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "fat", Map.of("n", i, "pad", FAT)));
        slowestPublishNanos = Math.max(slowestPublishNanos, System.nanoTime() - start);
        if (i % 5 == 4) {
          Thread.sleep(2); // a steady ~4 MB/s that a reading client keeps up with
        }
      }
      for (int i = 0; i < events; i++) {
        assertEquals(i, reader.awaitType("fat", WAIT).get("data").get("n").asInt());
      }
      assertTrue(stuck.endOfStreamWithin(5000), "the stuck client's socket is closed");
      assertTrue(!reader.closed().isDone(), "the reading client is still connected");
      assertEquals(1, broadcaster.slowClientsClosed());
      assertEquals(0, broadcaster.droppedEvents());
      // A publish that waited on the stuck client would last until it is cut off (over a second
      // of unread bytes); a busy machine can deschedule the publisher for tens of milliseconds
      // anywhere, also right after it wakes the broadcaster's thread.
      assertTrue(slowestPublishNanos < 1_000_000_000L,
          "publish never waits on a client: slowest " + slowestPublishNanos / 1000 + " µs");
    }
  }
}
