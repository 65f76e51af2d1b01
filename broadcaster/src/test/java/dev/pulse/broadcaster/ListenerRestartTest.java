package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.WsTestClient;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
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

  /**
   * An unexpected exception inside the library's selector loop (here made by taking away the
   * server's guarded listener, so the accept's first step fails: a stand-in, as no real fault of
   * that kind is known to provoke) stops that listener, and a new one serves new clients.
   */
  @Test
  void aFatalErrorOnTheSelectorThreadRestartsTheListener() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      WsTestClient before = Streams.client(broadcaster); // the server exists from here on
      Streams.sync(before);
      before.close(); // no client left whose cut would end the wait for itself by chance
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (broadcaster.clientCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Field listener = StreamServer.class.getDeclaredField("listener");
      listener.setAccessible(true);
      listener.set(serverOf(broadcaster), null);
      new Socket("127.0.0.1", broadcaster.port()).close(); // its accept now fails on that thread
      WsTestClient after = Streams.client(broadcaster); // retries until the new listener is up
      Streams.sync(after);
      after.close();
    }
  }

  /** A listener that ends each time it starts is started again less and less often. */
  @Test
  void aListenerThatKeepsEndingIsRestartedLessAndLessOften() throws Exception {
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      Streams.sync(Streams.client(broadcaster));
      Set<Thread> killed = new HashSet<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < end) { // a fault that comes back with every start
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
          if (thread.getName().startsWith("WebSocketSelector-") && killed.add(thread)) {
            thread.interrupt();
          }
        }
        Thread.sleep(2);
      }
      assertTrue(killed.size() <= 8, killed.size() + " listeners started in 3 s");
      WsTestClient after = Streams.client(broadcaster); // the next start comes within seconds
      Streams.sync(after);
      after.close();
    }
  }

  private static StreamServer serverOf(Broadcaster broadcaster) throws Exception {
    Field server = Broadcaster.class.getDeclaredField("server");
    server.setAccessible(true);
    return (StreamServer) server.get(broadcaster);
  }
}
