package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.RawFrameClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher writes events straight to a socket while nothing is queued for it, the selector
 * thread writes what is queued, the decoder thread queues pongs: a client that does not read for
 * a while (so its socket fills, writes are partial and the rest is queued) and pings meanwhile
 * still gets every frame whole, every event once and in order, and every pong in order.
 */
class WriteOrderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAT = "x".repeat(2000);
  /** About 8 MB: more than the kernel's buffers hold for a reader that stopped. */
  private static final int EVENTS = 4000;
  private static final int PINGS = 50;

  @Test
  void framesFromTheDispatcherTheSelectorAndTheDecoderNeverInterleave() throws Exception {
    BroadcasterConfig config = new BroadcasterConfig().queueCapacity(100_000)
        .maxPendingBytesPerClient(64L * 1024 * 1024);
    try (Broadcaster broadcaster = Streams.start(config);
        RawFrameClient client = RawFrameClient.upgrade(broadcaster.port(), "/", 4096)) {
      assertEquals("welcome", json(client.readFrame(10_000)).path("type").asText());
      StuckClientTest.awaitClientCount(broadcaster, 1);

      for (int n = 0; n < EVENTS; n++) {
        broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "fat", Map.of("n", n, "pad", FAT)));
        if (n % (EVENTS / PINGS) == 0) {
          client.sendFrame(true, RawFrameClient.OP_PING, ("ping-" + n / (EVENTS / PINGS))
              .getBytes(StandardCharsets.US_ASCII));
        }
      }

      int events = 0;
      int pongs = 0;
      while (events < EVENTS || pongs < PINGS) {
        RawFrameClient.Frame frame = client.readFrame(10_000);
        assertTrue(frame.fin, "a fragment: the server sends whole messages");
        if (frame.opcode == RawFrameClient.OP_PONG) {
          assertEquals("ping-" + pongs, frame.text());
          pongs++;
        } else {
          assertEquals(RawFrameClient.OP_TEXT, frame.opcode, "frame after " + events + " events");
          JsonNode event = json(frame);
          assertEquals(events, event.path("data").path("n").asInt(), frame.text());
          events++;
        }
      }
      assertEquals(0, broadcaster.droppedEvents());
      assertEquals(0, broadcaster.slowClientsClosed());
    }
  }

  private static JsonNode json(RawFrameClient.Frame frame) throws Exception {
    return JSON.readTree(frame.text());
  }
}
