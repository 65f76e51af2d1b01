package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the control channel says: welcome, pong, subscription replies. */
class ControlMessagesTest {
  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  @Test
  void theWelcomeDescribesTheServerItsHistoryAndWhatAClientMayAsk() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().historySize(5))) {
      for (int i = 1; i <= 7; i++) {
        broadcaster.publish(Streams.event(Channel.VECTOR_SEARCH, "search_completed", i));
      }
      SubscriptionTest.waitUntilPublished(broadcaster, 7);
      try (WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
        JsonNode welcome = client.awaitType("welcome", WAIT);
        assertEquals(List.of("type", "channel", "seq", "data", "timestamp"), fieldNames(welcome));
        assertEquals("control", welcome.get("channel").asText());
        assertEquals(7, welcome.get("seq").asLong(), "a control message carries the current seq");
        assertTrue(welcome.get("timestamp").asText().matches(TIMESTAMP), welcome.toString());
        JsonNode data = welcome.get("data");
        assertEquals(List.of("server_id", "last_seq", "oldest_seq", "channels", "actions",
            "dropped_events"), fieldNames(data));
        assertEquals(broadcaster.serverId(), data.get("server_id").asText());
        assertEquals(7, data.get("last_seq").asLong());
        assertEquals(3, data.get("oldest_seq").asLong(), "a history of 5 holds seqs 3..7");
        assertEquals("[\"db_pool_stats\",\"vector_search\",\"error_firewall\",\"system_alerts\"]",
            data.get("channels").toString());
        assertEquals("[\"subscribe\",\"unsubscribe\",\"resume\",\"ping\",\"series\"]",
            data.get("actions").toString());
        assertEquals(0, data.get("dropped_events").asLong());
        assertTrue(data.get("last_seq").isIntegralNumber() && data.get("dropped_events").isIntegralNumber());
        // no keyed state was published, so nothing follows the welcome
        Streams.sync(client);
        assertEquals(0, client.pending());
      }
    }
  }

  @Test
  void anEmptyServerWelcomesWithSeqZeroAndOldestOne() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
      JsonNode welcome = client.awaitType("welcome", WAIT);
      assertEquals(0, welcome.get("seq").asLong());
      assertEquals(0, welcome.get("data").get("last_seq").asLong());
      assertEquals(1, welcome.get("data").get("oldest_seq").asLong());
    }
  }

  @Test
  void pongReportsLastSeqDropsAndConnectedClients() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient first = Streams.client(broadcaster);
        WsTestClient second = Streams.client(broadcaster)) {
      Streams.sync(second); // both registered
      for (int i = 0; i < 3; i++) {
        broadcaster.publish(Streams.event(Channel.ERROR_FIREWALL, "error_intercepted", i));
      }
      for (int i = 0; i < 3; i++) {
        first.awaitType("error_intercepted", WAIT);
      }
      first.send("{\"action\":\"ping\"}");
      JsonNode pong = first.awaitType("pong", WAIT);
      assertEquals("control", pong.get("channel").asText());
      assertEquals(3, pong.get("seq").asLong());
      assertEquals(List.of("last_seq", "dropped_events", "clients"), fieldNames(pong.get("data")));
      assertEquals(3, pong.get("data").get("last_seq").asLong());
      assertEquals(0, pong.get("data").get("dropped_events").asLong());
      assertEquals(2, pong.get("data").get("clients").asInt());
      assertEquals(2, broadcaster.clientCount());
      assertTrue(pong.get("timestamp").asText().matches(TIMESTAMP), pong.toString());

      second.close();
      StuckClientTest.awaitClientCount(broadcaster, 1);
      first.send("{\"action\":\"ping\"}");
      assertEquals(1, first.awaitType("pong", WAIT).get("data").get("clients").asInt());
    }
  }

  @Test
  void controlRepliesDoNotAdvanceTheSequence() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "a", 1));
      assertEquals(1, client.awaitType("a", WAIT).get("seq").asLong());
      for (int i = 0; i < 3; i++) {
        client.send("{\"action\":\"ping\"}");
        client.awaitType("pong", WAIT);
        client.send("{\"action\":\"nope\"}");
        client.awaitType("error", WAIT);
      }
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "b", 2));
      assertEquals(2, client.awaitType("b", WAIT).get("seq").asLong());
    }
  }

  @Test
  void subscribeTakesASingleNameAndAddsToWhatIsAlreadySubscribed() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"subscribe\",\"channels\":\"vector_search\"}");
      assertEquals("[\"vector_search\"]",
          client.awaitType("subscribed", WAIT).get("data").get("channels").toString());
      client.send("{\"action\":\"subscribe\",\"channels\":[\"system_alerts\",\"system_alerts\"]}");
      assertEquals("[\"vector_search\",\"system_alerts\"]",
          client.awaitType("subscribed", WAIT).get("data").get("channels").toString());

      for (Channel channel : Channel.values()) {
        broadcaster.publish(Streams.event(channel, "e_" + channel.wireName(), 0));
      }
      List<String> received = new ArrayList<>();
      received.add(nextEvent(client).get("channel").asText());
      received.add(nextEvent(client).get("channel").asText());
      assertEquals(List.of("vector_search", "system_alerts"), received);
      Streams.sync(client);
      assertEquals(0, client.pending(), "db_pool_stats and error_firewall must not arrive");
    }
  }

  @Test
  void unsubscribingFromEverythingLeavesOnlyControlMessages() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"unsubscribe\",\"channels\":[\"db_pool_stats\",\"vector_search\","
          + "\"error_firewall\",\"system_alerts\"]}");
      assertEquals("[]", client.awaitType("unsubscribed", WAIT).get("data").get("channels").toString());
      for (Channel channel : Channel.values()) {
        broadcaster.publish(Streams.event(channel, "e", 0));
      }
      awaitLastSeq(client, 4); // the events were dispatched...
      assertEquals(0, client.pending(), "...but none was sent to this client");

      // subscribing again after that adds just the one channel
      client.send("{\"action\":\"subscribe\",\"channels\":[\"error_firewall\"]}");
      assertEquals("[\"error_firewall\"]",
          client.awaitType("subscribed", WAIT).get("data").get("channels").toString());
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "e", 1));
      broadcaster.publish(Streams.event(Channel.ERROR_FIREWALL, "e", 2));
      JsonNode event = nextEvent(client);
      assertEquals("error_firewall", event.get("channel").asText());
      assertEquals(6, event.get("seq").asLong());
    }
  }

  @Test
  void keyedStatesAreKeptPerChannelTypeAndKey() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient early = Streams.client(broadcaster)) {
      // the same key under two types and two channels: three separate states
      broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "main", Map.of("v", 1)));
      broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_other", "main", Map.of("v", 2)));
      broadcaster.publish(Event.stateNow(Channel.SYSTEM_ALERTS, "pool_stats", "main", Map.of("v", 3)));
      broadcaster.publish(Event.stateNow(Channel.DB_POOL_STATS, "pool_stats", "main", Map.of("v", 4)));
      for (int i = 0; i < 4; i++) {
        nextEvent(early); // a connected client gets every state update live
      }
      try (WsTestClient late = Streams.client(broadcaster)) {
        List<String> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          JsonNode state = nextEvent(late);
          states.add(state.get("seq").asLong() + ":" + state.get("channel").asText() + "/"
              + state.get("type").asText() + "=" + state.get("data").get("v").asInt());
        }
        // oldest first, by seq; the first update of db_pool_stats/pool_stats/main is gone
        assertEquals(List.of("2:db_pool_stats/pool_other=2", "3:system_alerts/pool_stats=3",
            "4:db_pool_stats/pool_stats=4"), states);
        Streams.sync(late);
        assertEquals(0, late.pending());
      }
    }
  }

  /**
   * Pings until the server reports {@code seq} as its last: a ping may overtake events published
   * just before it (commands run before events in the dispatcher's loop).
   */
  static void awaitLastSeq(WsTestClient client, long seq) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long last;
    do {
      client.send("{\"action\":\"ping\"}");
      last = client.awaitType("pong", WAIT).get("data").get("last_seq").asLong();
    } while (last < seq && System.nanoTime() < deadline);
    assertEquals(seq, last);
  }

  private static JsonNode nextEvent(WsTestClient client) throws InterruptedException {
    return client.await(m -> !m.get("channel").asText().equals("control"), WAIT);
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
