package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void whenTheQueueIsFullTheOldestEventsAreDroppedCountedAndReported() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().queueCapacity(16));
        WsTestClient client = Streams.client(broadcaster)) {
      Streams.sync(client);
      // Faster than any dispatcher: the publisher never waits, so the queue must shed.
      int published = 200_000;
      for (int i = 0; i < published; i++) {
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "burst", i));
      }
      JsonNode notice = client.awaitType("events_dropped", WAIT);
      long dropped = notice.get("data").get("dropped_events").asLong();
      assertTrue(dropped > 0, notice.toString());
      assertEquals(published, broadcaster.publishedEvents());
      long deadline = System.nanoTime() + WAIT.toNanos();
      long delivered;
      do {
        client.send("{\"action\":\"ping\"}");
        delivered = client.awaitType("pong", WAIT).get("data").get("last_seq").asLong();
      } while (delivered + broadcaster.droppedEvents() < published && System.nanoTime() < deadline);
      assertEquals(published, delivered + broadcaster.droppedEvents(), "every event is sent or counted");
      // the newest event always survives: drops take the oldest
      long newest = delivered;
      client.send("{\"action\":\"resume\",\"since\":" + (newest - 1) + "}");
      assertEquals(published - 1, client.await(m -> Streams.is(m, "burst")
          && m.get("seq").asLong() == newest, WAIT).get("data").get("n").asInt());
    }
  }

  @Test
  void clientsOverTheLimitAreTurnedAway() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxClients(2));
        WsTestClient first = Streams.client(broadcaster);
        WsTestClient second = Streams.client(broadcaster);
        WsTestClient third = WsTestClient.open(broadcaster.url(), java.util.Map.of())) {
      assertEquals("1013 server full: at most 2 clients", third.closed().get(5, TimeUnit.SECONDS));
      Streams.sync(first);
      Streams.sync(second);
    }
  }

  @Test
  void aBusyPortLeavesTheBroadcasterOffWithoutThrowing() throws Exception {
    try (Broadcaster first = Streams.start(new BroadcasterConfig());
        Broadcaster second = Broadcaster.start(new BroadcasterConfig().port(first.port()))) {
      assertFalse(second.isListening());
      assertEquals(-1, second.port());
      second.publish(Streams.event(Channel.SYSTEM_ALERTS, "ignored", 1)); // still safe to call
      assertTrue(first.isListening());
    }
  }
}
