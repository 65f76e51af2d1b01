package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.WsTestClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A listener that ends without being stopped (here its selector thread is interrupted, as
 * Java-WebSocket's own fatal-error path does) is started again on the same port: its clients are
 * cut and reconnect, new ones are welcomed, events flow.
 */
class ListenerRestartTest {

  @Test
  void aListenerThatEndsIsStartedAgainOnTheSamePort() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      int port = broadcaster.port();
      WsTestClient before = Streams.client(broadcaster);
      Streams.sync(before);
      Thread selector = Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> thread.getName().startsWith("WebSocketSelector-"))
          .findFirst().orElseThrow();
      selector.interrupt();
      String closed = before.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(closed.startsWith("1006") || closed.startsWith("error"), closed);
      WsTestClient after = Streams.client(broadcaster); // retries until the new listener is up
      assertEquals(port, broadcaster.port());
      Streams.sync(after);
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "tick", 1));
      assertEquals(1, after.awaitType("tick", WAIT).get("data").get("n").asInt());
      after.close();
    }
  }
}
