package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event the writer fails on leaves neither a seq gap nor a hole in the held state. */
class UnwritableEventTest {

  /** The contract's seq: one number per event, increasing by one. */
  @Test
  void anUnwritableEventLeavesNoSeqGapForAWatchingClient() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      Streams.sync(client);
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", 1));
      broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "e", Map.of("n", new Object())));
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", 3));
      JsonNode first = client.await(m -> Streams.is(m, "e") && m.path("data").path("n").asInt() == 1,
          WAIT);
      JsonNode third = client.await(m -> Streams.is(m, "e") && m.path("data").path("n").asInt() == 3,
          WAIT);
      assertEquals(first.get("seq").asLong() + 1, third.get("seq").asLong(),
          "the next event a client gets after seq " + first.get("seq") + " must be numbered one more");
      client.assertEveryEventInOrder(WAIT);
    }
  }

  /** A client that connects gets the latest state that can be sent, not nothing. */
  @Test
  void anUnwritableStateDoesNotReplaceTheHeldStateOfItsKey() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "p1", Map.of("n", 1)));
      broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "p1",
          Map.of("n", new Object())));
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", 3));
      SubscriptionTest.waitUntilPublished(broadcaster, 2); // the unwritable one takes no seq
      try (WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
        client.awaitType("welcome", WAIT);
        client.send("{\"action\":\"ping\"}"); // the states sent at connect come before its pong
        JsonNode next = client.await(m -> Streams.is(m, "pool_stats") || Streams.is(m, "pong"),
            WAIT);
        assertEquals("pool_stats", next.path("type").asText(),
            "no pool_stats for p1 at connect: the unwritable state replaced the good one");
        assertEquals(1, next.get("data").get("n").asInt());
      }
    }
  }
}
