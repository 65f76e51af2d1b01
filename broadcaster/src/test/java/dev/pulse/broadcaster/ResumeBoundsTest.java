package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import org.junit.jupiter.api.Test;

/** Resume at and beyond the edges of the history. */
class ResumeBoundsTest {

  @Test
  void resumeFromJustBeforeTheOldestHeldHasNoGapAndFromOneEarlierHasOne() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().historySize(5))) {
      publish(broadcaster, 12); // holds 8..12
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":7}");
        for (long seq = 8; seq <= 12; seq++) {
          JsonNode next = next(client);
          assertEquals("e", next.get("type").asText(), "no resume_gap: nothing was lost after 7");
          assertEquals(seq, next.get("seq").asLong());
          assertEquals((int) seq, next.get("data").get("n").asInt());
        }
        JsonNode done = next(client);
        assertEquals("resumed", done.get("type").asText());
        assertEquals(7, done.get("data").get("since").asLong());
        assertEquals(5, done.get("data").get("replayed").asInt());
        assertEquals(12, done.get("data").get("last_seq").asLong());

        client.send("{\"action\":\"resume\",\"since\":6}");
        JsonNode gap = next(client);
        assertEquals("resume_gap", gap.get("type").asText());
        assertEquals("control", gap.get("channel").asText());
        assertEquals(6, gap.get("data").get("requested_since").asLong());
        assertEquals(8, gap.get("data").get("oldest_seq").asLong());
        assertEquals(broadcaster.serverId(), gap.get("data").get("server_id").asText());
        assertEquals("messages older than oldest_seq are no longer held",
            gap.get("data").get("reason").asText());
        for (long seq = 8; seq <= 12; seq++) {
          assertEquals(seq, next(client).get("seq").asLong());
        }
        assertEquals(5, next(client).get("data").get("replayed").asInt());
      }
    }
  }

  @Test
  void aClientThatIsUpToDateOrAheadGetsNothingReplayed() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().historySize(5))) {
      publish(broadcaster, 12);
      try (WsTestClient client = Streams.client(broadcaster)) {
        for (String since : new String[] {"12", "13", "1000000", "9223372036854775806",
            "9223372036854775807"}) {
          client.send("{\"action\":\"resume\",\"since\":" + since + "}");
          JsonNode done = next(client);
          assertEquals("resumed", done.get("type").asText(),
              "since " + since + ": no gap and no replay, got " + done);
          assertEquals(since, done.get("data").get("since").asText());
          assertEquals(0, done.get("data").get("replayed").asInt(), "since " + since);
          assertEquals(12, done.get("data").get("last_seq").asLong());
        }
        Streams.sync(client);
        assertEquals(0, client.pending());
      }
    }
  }

  @Test
  void resumeOnTheSameServerIdIsAnOrdinaryResume() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      publish(broadcaster, 4);
      try (WsTestClient client = Streams.client(broadcaster)) {
        client.send("{\"action\":\"resume\",\"since\":2,\"server_id\":\"" + broadcaster.serverId()
            + "\"}");
        assertEquals(3, next(client).get("seq").asLong(), "no resume_gap on the same server");
        assertEquals(4, next(client).get("seq").asLong());
        JsonNode done = next(client);
        assertEquals("resumed", done.get("type").asText());
        assertEquals(2, done.get("data").get("since").asLong());
        assertEquals(2, done.get("data").get("replayed").asInt());
      }
    }
  }

  @Test
  void resumeBeforeAnyEventReplaysNothing() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"resume\",\"since\":0}");
      JsonNode done = next(client);
      assertEquals("resumed", done.get("type").asText());
      assertEquals(0, done.get("data").get("replayed").asInt());
      assertEquals(0, done.get("data").get("last_seq").asLong());
    }
  }

  private static void publish(Broadcaster broadcaster, int count) throws Exception {
    for (int i = 1; i <= count; i++) {
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "e", i));
    }
    SubscriptionTest.waitUntilPublished(broadcaster, count);
  }

  private static JsonNode next(WsTestClient client) throws InterruptedException {
    return client.await(m -> true, WAIT);
  }
}
