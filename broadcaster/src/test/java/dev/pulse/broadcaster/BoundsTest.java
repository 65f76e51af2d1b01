package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frame size, queue, client count and token limits, at their edges. */
class BoundsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFrameOfExactlyMaxFrameBytesIsServedAndOneByteMoreCloses1009() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxFrameBytes(1024));
        WsTestClient bystander = Streams.client(broadcaster)) {
      try (RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 64 * 1024)) {
        assertTrue(client.upgraded(), client.statusLine());
        assertEquals("welcome", type(client.readFrame(5000)));
        client.sendText(paddedPing(1024));
        assertEquals("pong", type(client.readFrame(5000)), "1024 bytes is within the limit");
        client.sendText(paddedPing(1025));
        RawFrameClient.Frame close = client.readUntilClose(5000);
        assertNotNull(close, "no close frame");
        assertEquals(1009, close.closeCode(), close.closeReason());
      }
      Streams.sync(bystander);
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "still_here", 1));
      assertEquals(1, bystander.awaitType("still_here", WAIT).get("seq").asLong());
    }
  }

  @Test
  void aMessageSentInSmallFragmentsCountsAsAWhole() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxFrameBytes(1024))) {
      try (RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 64 * 1024)) {
        assertEquals("welcome", type(client.readFrame(5000)));
        // 3 x 300 bytes: 900 in all, within the limit, reassembled into one request
        sendFragmented(client, paddedPing(900), 300);
        assertEquals("pong", type(client.readFrame(5000)));
        // 5 x 300 bytes: no fragment is over the limit, but the message is
        sendFragmented(client, paddedPing(1500), 300);
        RawFrameClient.Frame close = client.readUntilClose(5000);
        assertNotNull(close, "no close frame");
        assertEquals(1009, close.closeCode(), close.closeReason());
      }
    }
  }

  @Test
  void eventsPublishedBeforeAnyClientOverflowTheQueueAndTheNewestSurvive() throws Exception {
    int published = 100_000;
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().queueCapacity(16))) {
      for (int i = 0; i < published; i++) {
        broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "burst", i));
      }
      assertEquals(published, broadcaster.publishedEvents());
      try (WsTestClient client = Streams.client(broadcaster)) {
        // every event is either numbered or counted as dropped, once the dispatcher is done
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode pong;
        do {
          client.send("{\"action\":\"ping\"}");
          pong = client.awaitType("pong", WAIT);
        } while (pong.get("data").get("last_seq").asLong()
            + pong.get("data").get("dropped_events").asLong() < published
            && System.nanoTime() < deadline);
        long lastSeq = pong.get("data").get("last_seq").asLong();
        long dropped = pong.get("data").get("dropped_events").asLong();
        assertEquals(published, lastSeq + dropped);
        assertEquals(dropped, broadcaster.droppedEvents());
        assertTrue(dropped > 0, "a queue of 16 cannot hold a burst of 100000");
        assertTrue(lastSeq >= 16, "at least the last queue-full is numbered: " + lastSeq);

        // the history: consecutive seqs, events in publishing order, the newest last
        client.send("{\"action\":\"resume\",\"since\":0}");
        long firstHeld = Math.max(1, lastSeq - 1000 + 1); // the default history holds 1000
        long expectedSeq = firstHeld;
        int previousN = -1;
        while (true) {
          JsonNode message = client.await(m -> true, WAIT);
          String type = message.get("type").asText();
          if (type.equals("resume_gap")) {
            assertEquals(firstHeld, message.get("data").get("oldest_seq").asLong());
            continue;
          }
          if (type.equals("resumed")) {
            assertEquals(lastSeq - firstHeld + 1, message.get("data").get("replayed").asLong());
            break;
          }
          if (type.equals("events_dropped")) {
            continue; // the drop notice reaches a client whenever the dispatcher sends it: not history
          }
          assertEquals("burst", type, message.toString());
          assertEquals(expectedSeq, message.get("seq").asLong());
          int n = message.get("data").get("n").asInt();
          assertTrue(n > previousN, "publishing order kept: " + n + " after " + previousN);
          previousN = n;
          expectedSeq++;
        }
        assertEquals(lastSeq + 1, expectedSeq);
        assertEquals(published - 1, previousN, "the newest event is never the one dropped");
      }
    }
  }

  @Test
  void aClientTurnedAwayForFullnessGetsInOnceASlotIsFree() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxClients(1))) {
      WsTestClient first = Streams.client(broadcaster);
      try (WsTestClient second = WsTestClient.open(broadcaster.url(), Map.of())) {
        assertEquals("1013 server full: at most 1 clients", second.closed().get(5, TimeUnit.SECONDS));
        assertEquals(0, second.pending(), "no welcome for a client turned away");
      }
      assertEquals(1, broadcaster.clientCount());
      first.close();
      StuckClientTest.awaitClientCount(broadcaster, 0);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        // the refused client's own close handshake may still be finishing: try again shortly
        try (WsTestClient third = WsTestClient.open(broadcaster.url(), Map.of())) {
          try {
            third.awaitType("welcome", java.time.Duration.ofSeconds(2));
            assertEquals(1, broadcaster.clientCount());
            break;
          } catch (AssertionError notYet) {
            assertTrue(System.nanoTime() < deadline, "no slot freed: " + third.closed());
          }
        }
        Thread.sleep(20);
      }
    }
  }

  @Test
  void theTokenInAHeaderIsCheckedLikeInTheQuery() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().token("s3cret"))) {
      try (WsTestClient wrong = WsTestClient.open(broadcaster.url(),
          Map.of("Authorization", "Bearer s3cre"))) {
        String closed = wrong.closed().get(5, TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1008 unauthorized"), closed);
      }
      try (WsTestClient notBearer = WsTestClient.open(broadcaster.url(),
          Map.of("Authorization", "Basic czNjcmV0"))) {
        String closed = notBearer.closed().get(5, TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1008 unauthorized"), closed);
      }
      try (WsTestClient lowerCase = WsTestClient.open(broadcaster.url(),
          Map.of("Authorization", "bearer s3cret"))) {
        assertEquals(broadcaster.serverId(),
            lowerCase.awaitType("welcome", WAIT).get("data").get("server_id").asText());
      }
      try (WsTestClient query = WsTestClient.open(broadcaster.url() + "?token=s3cret", Map.of())) {
        query.awaitType("welcome", WAIT);
        Streams.sync(query);
        broadcaster.publish(Streams.event(Channel.VECTOR_SEARCH, "search_completed", 1));
        assertEquals(1, query.awaitType("search_completed", WAIT).get("seq").asLong());
      }
    }
  }

  private static String paddedPing(int bytes) {
    String head = "{\"action\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  private static void sendFragmented(RawFrameClient client, String text, int fragment)
      throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int from = 0; from < bytes.length; from += fragment) {
      int to = Math.min(bytes.length, from + fragment);
      client.sendFrame(to == bytes.length,
          from == 0 ? RawFrameClient.OP_TEXT : RawFrameClient.OP_CONTINUATION,
          Arrays.copyOfRange(bytes, from, to));
    }
  }

  private static String type(RawFrameClient.Frame frame) throws Exception {
    assertEquals(RawFrameClient.OP_TEXT, frame.opcode, "a text frame");
    return JSON.readTree(frame.text()).get("type").asText();
  }
}
