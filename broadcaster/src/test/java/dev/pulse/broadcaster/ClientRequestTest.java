package dev.pulse.broadcaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientRequestTest {

  @Test
  void subscribeTakesAnArrayOrOneNameInTheGivenOrderWithoutDuplicates() {
    ClientRequest array = ClientRequest.parse(
        "{\"action\":\"subscribe\",\"channels\":[\"system_alerts\",\"db_pool_stats\",\"system_alerts\"]}");
    assertFalse(array.isError());
    assertEquals(ClientRequest.Action.SUBSCRIBE, array.action());
    assertEquals(List.of(Channel.SYSTEM_ALERTS, Channel.DB_POOL_STATS), List.copyOf(array.channels()));

    ClientRequest single = ClientRequest.parse("{\"action\":\"unsubscribe\",\"channels\":\"vector_search\"}");
    assertEquals(ClientRequest.Action.UNSUBSCRIBE, single.action());
    assertEquals(Set.of(Channel.VECTOR_SEARCH), single.channels());
  }

  @Test
  void resumeCarriesSinceAndAnOptionalServerId() {
    ClientRequest plain = ClientRequest.parse("{\"action\":\"resume\",\"since\":42}");
    assertEquals(ClientRequest.Action.RESUME, plain.action());
    assertEquals(42, plain.since());
    assertNull(plain.serverId());

    ClientRequest withId = ClientRequest.parse("{\"action\":\"resume\",\"since\":0,\"server_id\":\"abc\"}");
    assertEquals(0, withId.since());
    assertEquals("abc", withId.serverId());

    ClientRequest numericId = ClientRequest.parse("{\"action\":\"resume\",\"since\":1,\"server_id\":7}");
    assertNull(numericId.serverId(), "a server_id that is not a string is ignored");

    ClientRequest max = ClientRequest.parse("{\"action\":\"resume\",\"since\":9223372036854775807}");
    assertEquals(Long.MAX_VALUE, max.since());
    assertEquals("invalid_since",
        ClientRequest.parse("{\"action\":\"resume\",\"since\":9223372036854775808}").errorCode());
  }

  @Test
  void errorsEchoTheStartOfTheFrame() {
    String frame = "{\"action\":\"" + "z".repeat(300) + "\"}";
    ClientRequest request = ClientRequest.parse(frame);
    assertTrue(request.isError());
    assertEquals("unknown_action", request.errorCode());
    assertEquals(frame.substring(0, 200) + "...", request.echo());
    assertEquals("unknown action \"" + "z".repeat(40) + "...\"; allowed actions: subscribe,"
        + " unsubscribe, resume, ping, series", request.errorMessage());
  }

  @Test
  void nullAndEmptyFramesAreErrors() {
    assertEquals("not_an_object", ClientRequest.parse("null").errorCode());
    assertEquals("not_an_object", ClientRequest.parse("\"ping\"").errorCode());
    assertTrue(ClientRequest.parse("").isError(), "an empty frame is an error: "
        + ClientRequest.parse("").errorCode());
    assertEquals("invalid_channels",
        ClientRequest.parse("{\"action\":\"subscribe\",\"channels\":{\"a\":1}}").errorCode());
    assertEquals("unknown_channel",
        ClientRequest.parse("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\",null]}").errorCode());
    assertEquals("unknown_channel",
        ClientRequest.parse("{\"action\":\"subscribe\",\"channels\":\"DB_POOL_STATS\"}").errorCode(),
        "wire names are lower case");
  }
}
