package dev.pulse.broadcaster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.WsTestClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared bits of the broadcaster tests: a running server on a free port, events, a client. */
final class Streams {
  static final Duration WAIT = Duration.ofSeconds(10);

  private Streams() {
  }

  static Broadcaster start(BroadcasterConfig config) {
    Broadcaster broadcaster = Broadcaster.start(config.port(0));
    if (!broadcaster.isListening()) {
      throw new AssertionError("the broadcaster did not start");
    }
    return broadcaster;
  }

  static Event event(Channel channel, String type, int n) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("n", n);
    return Event.now(channel, type, data);
  }

  static WsTestClient client(Broadcaster broadcaster) throws InterruptedException {
    WsTestClient client = WsTestClient.connect(broadcaster.url(), WAIT);
    client.awaitType("welcome", WAIT);
    return client;
  }

  static boolean is(JsonNode message, String type) {
    return type.equals(message.path("type").asText());
  }

  /** Publishes after the client is surely registered: a ping round trip orders the two. */
  static void sync(WsTestClient client) throws InterruptedException {
    client.send("{\"action\":\"ping\"}");
    client.awaitType("pong", WAIT);
  }
}
