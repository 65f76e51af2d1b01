package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.RawFrameClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadInputTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json at all                                  | invalid_json",
      "{\"action\":                                     | invalid_json",
      "[1,2,3]                                          | not_an_object",
      "42                                               | not_an_object",
      "{\"channels\":[\"db_pool_stats\"]}               | missing_action",
      "{\"action\":7}                                   | missing_action",
      "{\"action\":\"explode\"}                         | unknown_action",
      "{\"action\":\"subscribe\"}                       | invalid_channels",
      "{\"action\":\"subscribe\",\"channels\":[]}       | invalid_channels",
      "{\"action\":\"subscribe\",\"channels\":[\"nope\"]} | unknown_channel",
      "{\"action\":\"unsubscribe\",\"channels\":[1]}    | unknown_channel",
      "{\"action\":\"resume\"}                          | invalid_since",
      "{\"action\":\"resume\",\"since\":-1}             | invalid_since",
      "{\"action\":\"resume\",\"since\":\"12\"}         | invalid_since",
      "{\"action\":\"resume\",\"since\":1.5}            | invalid_since",
      "{\"action\":\"series\",\"minutes\":0}            | invalid_minutes",
      "{\"action\":\"series\",\"minutes\":16}           | invalid_minutes",
      "{\"action\":\"series\",\"minutes\":\"15\"}       | invalid_minutes",
      "{\"action\":\"series\",\"minutes\":2.5}          | invalid_minutes",
      "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}} | invalid_json"
  })
  void eachBadFrameGetsItsErrorAndTheConnectionStaysOpen(String frame, String code) throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send(frame);
      JsonNode error = client.awaitType("error", WAIT);
      assertEquals("control", error.get("channel").asText());
      assertEquals(code, error.get("data").get("code").asText(), error.toString());
      assertTrue(error.get("data").get("message").asText().length() > 10);
      assertEquals(frame.length() > 200 ? frame.substring(0, 200) + "..." : frame,
          error.get("data").get("request").asText());
      Streams.sync(client); // still served
    }
  }

  @Test
  void unknownActionsNameTheAllowedOnes() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"subscrib\"}");
      assertEquals("unknown action \"subscrib\"; allowed actions: subscribe, unsubscribe, resume, ping, series",
          client.awaitType("error", WAIT).get("data").get("message").asText());
      client.send("{\"action\":\"subscribe\",\"channels\":[\"pools\"]}");
      assertEquals("unknown channel \"pools\"; allowed: db_pool_stats, vector_search, error_firewall,"
          + " system_alerts", client.awaitType("error", WAIT).get("data").get("message").asText());
    }
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.send("{\"action\":\"ping\",\"id\":12,\"extra\":{\"x\":[1,2]}}");
      client.awaitType("pong", WAIT);
    }
  }

  @Test
  void binaryFramesAreRefusedWithAnError() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        WsTestClient client = Streams.client(broadcaster)) {
      client.sendBinary(new byte[] {1, 2, 3});
      JsonNode error = client.awaitType("error", WAIT);
      assertEquals("binary_not_supported", error.get("data").get("code").asText());
      Streams.sync(client);
    }
  }

  @Test
  void anOversizedFrameClosesThatClientOnly() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().maxFrameBytes(1024));
        WsTestClient offender = Streams.client(broadcaster);
        WsTestClient bystander = Streams.client(broadcaster)) {
      offender.send("{\"action\":\"ping\",\"pad\":\"" + "x".repeat(4000) + "\"}");
      String closed = offender.closed().get(10, TimeUnit.SECONDS);
      assertTrue(closed.startsWith("1009"), closed);
      Streams.sync(bystander);
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "still_here", 1));
      bystander.awaitType("still_here", WAIT);
    }
  }

  @Test
  void anUnmaskedClientFrameIsAProtocolError() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
        RawFrameClient client = RawFrameClient.connect(broadcaster.port(), 64 * 1024)) {
      client.readFrame(WAIT.toMillis()); // welcome
      client.sendRaw(new byte[] {(byte) 0x81, 0x10, '{', '"', 'a', 'c', 't', 'i', 'o', 'n', '"', ':',
          '"', 'p', 'i', 'n', 'g', '"'});
      RawFrameClient.Frame close = client.readUntilClose(WAIT.toMillis());
      assertEquals(1002, close.closeCode(), "RFC 6455 5.1: a server closes on an unmasked frame");
    }
  }
}
