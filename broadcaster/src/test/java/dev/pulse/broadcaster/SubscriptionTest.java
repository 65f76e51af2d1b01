package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

  @Test
  void aSubscriberReceivesOnlyItsChannelsAndUnsubscribeStopsThem() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\",\"error_firewall\"]}");
      JsonNode ack = client.awaitType("subscribed", WAIT);
      assertEquals("[\"db_pool_stats\",\"error_firewall\"]", ack.get("data").get("channels").toString());

      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "skip_me", 1));
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "pool_a", 2));
      broadcaster.publish(Streams.event(Channel.VECTOR_SEARCH, "skip_me", 3));
      broadcaster.publish(Streams.event(Channel.ERROR_FIREWALL, "error_a", 4));
      assertEquals("pool_a", nextEvent(client).get("type").asText());
      assertEquals("error_a", nextEvent(client).get("type").asText());

      client.send("{\"action\":\"unsubscribe\",\"channels\":\"db_pool_stats\"}");
      assertEquals("[\"error_firewall\"]",
          client.awaitType("unsubscribed", WAIT).get("data").get("channels").toString());
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "pool_b", 5));
      broadcaster.publish(Streams.event(Channel.ERROR_FIREWALL, "error_b", 6));
      assertEquals("error_b", nextEvent(client).get("type").asText(), "pool_b must not arrive");
      Streams.sync(client);
      assertEquals(0, client.pending());
    }
  }

  @Test
  void aClientThatNeverSubscribesReceivesEveryChannel() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      Streams.sync(client);
      for (Channel channel : Channel.values()) {
        broadcaster.publish(Streams.event(channel, "e_" + channel.wireName(), 0));
      }
      for (Channel channel : Channel.values()) {
        assertEquals(channel.wireName(), nextEvent(client).get("channel").asText());
      }
    }
  }

  @Test
  void aNewClientGetsTheLatestStateOfEachKeyAtOnce() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      for (int i = 0; i < 3; i++) {
        broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "main", Map.of("n", i)));
        broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "reports", Map.of("n", 10 + i)));
      }
      broadcaster.publish(Event.stateNow(Channel.SYSTEM_ALERTS, "system_stats", "jvm", Map.of("n", 99)));
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "pool_resized", 7)); // not a state
      waitUntilPublished(broadcaster, 8);

      try (WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
        client.awaitType("welcome", WAIT);
        // the newest of each key, in the order they were last updated
        assertEquals(2, client.awaitType("pool_stats", WAIT).get("data").get("n").asInt());
        assertEquals(12, client.awaitType("pool_stats", WAIT).get("data").get("n").asInt());
        assertEquals(99, client.awaitType("system_stats", WAIT).get("data").get("n").asInt());
        Streams.sync(client);
        assertEquals(0, client.pending(), "no other message: pool_resized is not a state");

        // narrowing to one channel sends nothing again; adding a channel sends its present
        client.send("{\"action\":\"subscribe\",\"channels\":[\"system_alerts\"]}");
        client.awaitType("subscribed", WAIT);
        Streams.sync(client);
        assertEquals(0, client.pending());
        client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\"]}");
        client.awaitType("subscribed", WAIT);
        assertEquals(2, client.awaitType("pool_stats", WAIT).get("data").get("n").asInt());
        assertEquals(12, client.awaitType("pool_stats", WAIT).get("data").get("n").asInt());
      }
    }
  }

  static void waitUntilPublished(Broadcaster broadcaster, int count) throws Exception {
    // published() counts accepted events; the dispatcher numbers them right after: a client's
    // welcome last_seq is the proof they are held.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (WsTestClient probe = WsTestClient.connect(broadcaster.url(), WAIT)) {
        if (probe.awaitType("welcome", WAIT).get("data").get("last_seq").asLong() >= count) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("events not dispatched");
  }

  private static JsonNode nextEvent(WsTestClient client) throws InterruptedException {
    return client.await(m -> !m.get("channel").asText().equals("control"), WAIT);
  }
}
