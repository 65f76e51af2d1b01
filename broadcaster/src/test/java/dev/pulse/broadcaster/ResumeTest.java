package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeTest {

  @Test
  void resumeReplaysExactlyWhatCameAfterTheGivenSeq() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      for (int i = 1; i <= 10; i++) {
        broadcaster.publish(Streams.event(i % 2 == 0 ? Channel.DB_POOL_STATS : Channel.SYSTEM_ALERTS,
            "e", i));
      }
      SubscriptionTest.waitUntilPublished(broadcaster, 10);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":6}");
        for (int seq = 7; seq <= 10; seq++) {
          assertEquals(seq, client.awaitType("e", WAIT).get("seq").asLong());
        }
        JsonNode done = client.awaitType("resumed", WAIT);
        assertEquals(4, done.get("data").get("replayed").asInt());
        assertEquals(10, done.get("data").get("last_seq").asLong());

        // a subscription applies to the replay too
        client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\"]}");
        client.awaitType("subscribed", WAIT);
        client.send("{\"action\":\"resume\",\"since\":0}");
        for (int seq = 2; seq <= 10; seq += 2) {
          assertEquals(seq, client.awaitType("e", WAIT).get("seq").asLong());
        }
        assertEquals(5, client.awaitType("resumed", WAIT).get("data").get("replayed").asInt());
      }
    }
  }

  /**
   * Events published while no client watched are numbered and kept unwritten; a resume writes
   * them, with their own time. One that cannot be written takes no seq, and the others follow.
   */
  @Test
  void eventsKeptUnwatchedAreWrittenAtTheResumeAndAnUnwritableOneTakesNoSeq() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      broadcaster.publish(new Event(Channel.SYSTEM_ALERTS, "e", Map.of("n", 1), 1_000L, null));
      broadcaster.publish(Event.now(Channel.SYSTEM_ALERTS, "e", Map.of("n", new Object())));
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", 3));
      SubscriptionTest.waitUntilPublished(broadcaster, 2);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":0}");
        JsonNode first = client.awaitType("e", WAIT);
        assertEquals(1, first.get("seq").asLong());
        assertEquals("1970-01-01T00:00:01.000Z", first.get("timestamp").asText());
        JsonNode second = client.awaitType("e", WAIT);
        assertEquals(2, second.get("seq").asLong());
        assertEquals(3, second.get("data").get("n").asInt());
        JsonNode done = client.awaitType("resumed", WAIT);
        assertEquals(2, done.get("data").get("replayed").asInt());
        assertEquals(2, done.get("data").get("last_seq").asLong());
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", 4));
        assertEquals(3, client.awaitType("e", WAIT).get("seq").asLong());
      }
    }
  }

  @Test
  void aResumeOlderThanTheHistorySaysWhatWasLost() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().historySize(5))) {
      for (int i = 1; i <= 12; i++) {
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", i));
      }
      SubscriptionTest.waitUntilPublished(broadcaster, 12);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":2}");
        JsonNode gap = client.awaitType("resume_gap", WAIT);
        assertEquals(2, gap.get("data").get("requested_since").asLong());
        assertEquals(8, gap.get("data").get("oldest_seq").asLong());
        for (int seq = 8; seq <= 12; seq++) {
          assertEquals(seq, client.awaitType("e", WAIT).get("seq").asLong());
        }
        assertEquals(5, client.awaitType("resumed", WAIT).get("data").get("replayed").asInt());
      }
    }
  }

  @Test
  void aClientOfAnotherServerRunGetsEverythingHeldAndIsToldWhy() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      for (int i = 1; i <= 3; i++) {
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", i));
      }
      SubscriptionTest.waitUntilPublished(broadcaster, 3);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":2,\"server_id\":\"an-earlier-run\"}");
        JsonNode gap = client.awaitType("resume_gap", WAIT);
        assertEquals("server restarted: seqs begin again", gap.get("data").get("reason").asText());
        assertEquals(1, client.awaitType("e", WAIT).get("seq").asLong());
        assertEquals(3, client.awaitType("resumed", WAIT).get("data").get("replayed").asInt());
      }
    }
  }

  @Test
  void aBurstOfSearchesEvictsNeitherPoolNorErrorHistory() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().historySize(10))) {
      broadcaster.publish(Streams.event(Channel.DB_POOL_STATS, "pool_stats", 1));
      broadcaster.publish(Streams.event(Channel.ERROR_FIREWALL, "error_intercepted", 2));
      for (int i = 3; i <= 500; i++) {
        broadcaster.publish(Streams.event(Channel.VECTOR_SEARCH, "search_completed", i));
      }
      SubscriptionTest.waitUntilPublished(broadcaster, 500);
      try (WsTestClient all = Streams.client(broadcaster)) {
        all.send("{\"action\":\"resume\",\"since\":0}");
        JsonNode gap = all.awaitType("resume_gap", WAIT);
        assertEquals("[\"vector_search\"]", gap.get("data").get("channels").toString());
        assertEquals(491, gap.get("data").get("oldest_seq").asLong());
        assertEquals(1, all.awaitType("pool_stats", WAIT).get("seq").asLong());
        assertEquals(2, all.awaitType("error_intercepted", WAIT).get("seq").asLong());
        for (int seq = 491; seq <= 500; seq++) {
          assertEquals(seq, all.awaitType("search_completed", WAIT).get("seq").asLong());
        }
        assertEquals(12, all.awaitType("resumed", WAIT).get("data").get("replayed").asInt());
      }
      try (WsTestClient pools = Streams.client(broadcaster)) {
        pools.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\"]}");
        pools.awaitType("subscribed", WAIT);
        pools.send("{\"action\":\"resume\",\"since\":0}");
        JsonNode resumed = pools.await(m -> Streams.is(m, "resumed") || Streams.is(m, "resume_gap"),
            WAIT);
        assertEquals("resumed", resumed.get("type").asText(), "no gap on a channel that lost none");
        assertEquals(1, resumed.get("data").get("replayed").asInt());
      }
    }
  }
}
