package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading, with a small budget (64 KiB) and fat events (~2 KB): it is closed
 * with 4008, the publisher's pace is the same with it as without it, and a reading client gets
 * every event.
 */
class StuckClientTest {
  /** Room for a reader on a busy machine: at 4 MB/s it may fall 120 ms behind before the cut. */
  private static final int BUDGET = 256 * 1024;
  private static final String FAT = "x".repeat(2000);
  private static final int BASELINE_EVENTS = 1000;
  /** After the cut, this many more events: the publisher and the reader carry on. */
  private static final int AFTER_CUT = 500;
  /**
   * The kernel absorbs a few MB before the server's own queue grows (the send buffer autotunes to
   * tcp_wmem's maximum, 4 MB by default), so the stuck phase lasts until the cut, within a cap.
   */
  private static final int MAX_STUCK_PHASE = 15_000;

  @Test
  void aStuckClientIsClosedWith4008WhileThePublisherKeepsItsPaceAndAReaderGetsEverything()
      throws Exception {
    BroadcasterConfig config = new BroadcasterConfig().maxPendingBytesPerClient(BUDGET)
        .queueCapacity(100_000);
    try (Broadcaster broadcaster = Streams.start(config);
        WsTestClient reader = Streams.client(broadcaster)) {
      Streams.sync(reader);

      // Phase 1, no stuck client: the publisher's pace without one (this also warms the JIT).
      PublishTimes without = publishPaced(broadcaster, 0, false);
      assertEquals(BASELINE_EVENTS, without.count);
      expectInOrder(reader, 0, BASELINE_EVENTS);

      try (RawFrameClient stuck = RawFrameClient.connect(broadcaster.port(), 4096)) {
        assertTrue(stuck.upgraded(), stuck.statusLine());
        awaitClientCount(broadcaster, 2);

        // As soon as the server gives up on it, the stuck client reads again: what it finds at
        // the end of its stream is the server's close frame (before the 2 s hard close).
        CompletableFuture<RawFrameClient.Frame> closeFrame = new CompletableFuture<>();
        Thread watcher = new Thread(() -> {
          try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (broadcaster.slowClientsClosed() == 0 && System.nanoTime() < deadline) {
              Thread.sleep(1);
            }
            closeFrame.complete(stuck.readUntilClose(5000));
          } catch (Throwable e) {
            closeFrame.completeExceptionally(e);
          }
        }, "stuck-client-watcher");
        watcher.setDaemon(true);
        watcher.start();

        // Phase 2, with the stuck client: same events, same pace, until it is cut off and on.
        PublishTimes with = publishPaced(broadcaster, BASELINE_EVENTS, true);
        assertEquals(1, broadcaster.slowClientsClosed(), "cut off after " + with.count + " events");
        expectInOrder(reader, BASELINE_EVENTS, with.count);

        RawFrameClient.Frame close = closeFrame.get(10, TimeUnit.SECONDS);
        assertNotNull(close, "the stuck client got no close frame before its socket ended");
        assertEquals(4008, close.closeCode());
        assertTrue(close.closeReason().startsWith("slow consumer: "), close.closeReason());
        assertTrue(close.closeReason().endsWith("limit " + BUDGET), close.closeReason());
        assertTrue(stuck.endOfStreamWithin(5000), "the server ends the stuck client's socket");

        assertEquals(1, broadcaster.slowClientsClosed());
        awaitClientCount(broadcaster, 1);
        assertEquals(0, broadcaster.droppedEvents());
        assertFalse(reader.closed().isDone(), "the reader is still connected: " + reader.closed());

        // publish() never waits on a client: no call lasts as long as a wait for the stuck
        // client would (until its cut-off, over a second), and the total is what it was without
        // it. A busy machine deschedules a publisher for tens of milliseconds anywhere, also
        // right after it wakes the broadcaster's thread: the bounds leave room for that.
        assertTrue(with.slowestNanos < 1_000_000_000L,
            "slowest publish with a stuck client: " + with.slowestNanos / 1000 + " µs");
        assertTrue(without.slowestNanos < 1_000_000_000L,
            "slowest publish without a stuck client: " + without.slowestNanos / 1000 + " µs");
        assertTrue(with.meanNanos() < 5 * without.meanNanos() + 20_000L,
            "a publish took " + with.meanNanos() + " ns on average with a stuck client, "
                + without.meanNanos() + " ns without");
      }
      Streams.sync(reader);
      assertEquals(0, reader.pending());
    }
  }

  /**
   * Time spent inside publish() only, at a steady ~4 MB/s that a reading client keeps up with:
   * {@link #BASELINE_EVENTS}, or until a client is cut off and {@link #AFTER_CUT} more.
   */
  private static PublishTimes publishPaced(Broadcaster broadcaster, int firstN, boolean untilCut)
      throws Exception {
    PublishTimes times = new PublishTimes();
    int limit = untilCut ? MAX_STUCK_PHASE : BASELINE_EVENTS;
    for (int i = 0; i < limit; i++) {
      Event event = Event.now(Channel.SYSTEM_ALERTS, "fat", Map.of("n", firstN + i, "pad", FAT));
      long start = System.nanoTime();
      broadcaster.publish(event);
      long took = System.nanoTime() - start;
      times.totalNanos += took;
      times.slowestNanos = Math.max(times.slowestNanos, took);
      times.count++;
      if (untilCut && broadcaster.slowClientsClosed() > 0 && limit == MAX_STUCK_PHASE) {
        limit = i + 1 + AFTER_CUT;
      }
      if (i % 4 == 3) {
        Thread.sleep(2);
      }
    }
    return times;
  }

  private static void expectInOrder(WsTestClient reader, int firstN, int count) throws Exception {
    long previousSeq = -1;
    for (int i = 0; i < count; i++) {
      JsonNode message = reader.awaitType("fat", WAIT);
      assertEquals(firstN + i, message.get("data").get("n").asInt());
      long seq = message.get("seq").asLong();
      if (previousSeq >= 0) {
        assertEquals(previousSeq + 1, seq);
      }
      previousSeq = seq;
    }
  }

  static void awaitClientCount(Broadcaster broadcaster, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (broadcaster.clientCount() != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(expected, broadcaster.clientCount());
  }

  private static final class PublishTimes {
    int count;
    long totalNanos;
    long slowestNanos;

    long meanNanos() {
      return totalNanos / Math.max(1, count);
    }
  }
}
