package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void everyEventIsOneEnvelopeWithConsecutiveSeq() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT)) {
      JsonNode welcome = client.awaitType("welcome", WAIT);
      assertEquals("control", welcome.get("channel").asText());
      assertEquals(broadcaster.serverId(), welcome.get("data").get("server_id").asText());
      assertEquals(0, welcome.get("data").get("last_seq").asLong());
      Streams.sync(client);

      long before = System.currentTimeMillis();
      Channel[] channels = Channel.values();
      for (int i = 0; i < 8; i++) {
        broadcaster.publish(Streams.event(channels[i % channels.length], "thing_" + i, i));
      }
      List<JsonNode> received = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        received.add(client.await(m -> m.get("type").asText().startsWith("thing_"), WAIT));
      }
      for (int i = 0; i < 8; i++) {
        JsonNode message = received.get(i);
        assertEquals(List.of("type", "channel", "seq", "data", "timestamp"), fieldNames(message));
        assertEquals("thing_" + i, message.get("type").asText());
        assertEquals(channels[i % channels.length].wireName(), message.get("channel").asText());
        assertEquals(i + 1, message.get("seq").asLong(), "one sequence per server, from 1");
        assertEquals(i, message.get("data").get("n").asInt());
        String timestamp = message.get("timestamp").asText();
        assertTrue(timestamp.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), timestamp);
        long millis = java.time.Instant.parse(timestamp).toEpochMilli();
        assertTrue(millis >= before - 1 && millis <= System.currentTimeMillis(), timestamp);
      }
      assertEquals(8, broadcaster.publishedEvents());
    }
  }

  @Test
  void theTimestampIsWhenTheEventHappenedWithMillisecondsAlwaysShown() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      Streams.sync(client);
      broadcaster.publish(new Event(Channel.SYSTEM_ALERTS, "old", Map.of(), 1_700_000_000_000L, null));
      JsonNode message = client.awaitType("old", WAIT);
      assertEquals("2023-11-14T22:13:20.000Z", message.get("timestamp").asText());
    }
  }

  @Test
  void eachStartHasAServerIdOfItsOwnShapedAsAVersion4Uuid() {
    try (Broadcaster first = Streams.start(new BroadcasterConfig());
        Broadcaster second = Streams.start(new BroadcasterConfig())) {
      assertNotEquals(first.serverId(), second.serverId());
      for (String id : List.of(first.serverId(), second.serverId())) {
        UUID uuid = UUID.fromString(id);
        assertEquals(id, uuid.toString());
        assertEquals(4, uuid.version(), id);
        assertEquals(2, uuid.variant(), id);
      }
    }
  }

  @Test
  void theChannelNamesAreTheContracts() {
    assertEquals(List.of("db_pool_stats", "vector_search", "error_firewall", "system_alerts"),
        java.util.Arrays.stream(Channel.values()).map(Channel::wireName)
            .collect(java.util.stream.Collectors.toList()));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
