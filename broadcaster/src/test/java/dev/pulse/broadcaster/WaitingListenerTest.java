package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.WsTestClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream's port is bound at start, and the WebSocket server is built only for its first
 * client, which is served as if it had always been there.
 */
class WaitingListenerTest {

  @Test
  void thePortIsBoundAtStartAndTheServerStartsWithTheFirstClient() throws Exception {
    long serversBefore = serverThreads();
    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig())) {
      assertTrue(broadcaster.isListening());
      assertEquals(serversBefore, serverThreads(), "a server built before any client");
      WsTestClient first = Streams.client(broadcaster);
      Streams.sync(first);
      assertEquals(serversBefore + 1, serverThreads(), "the first client's server");
      WsTestClient second = Streams.client(broadcaster);
      Streams.sync(second);
      broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "tick", 2));
      assertEquals(2, first.awaitType("tick", WAIT).get("data").get("n").asInt());
      assertEquals(2, second.awaitType("tick", WAIT).get("data").get("n").asInt());
      first.close();
      second.close();
    }
  }

  @Test
  void aTakenPortIsReportedAtStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig()
            .port(taken.getLocalPort()))) {
      assertFalse(broadcaster.isListening());
      assertEquals(-1, broadcaster.port());
    }
  }

  /** What the server would refuse when the first client comes is refused at start. */
  @Test
  void aFrameLimitBelowOneByteIsRefusedAtStart() {
    assertThrows(IllegalArgumentException.class,
        () -> Broadcaster.start(new BroadcasterConfig().port(0).maxFrameBytes(0)).close());
  }

  /** Closed as the first client comes (the server starting or not yet): nothing is left behind. */
  @Test
  void closedAsTheFirstClientComesThePortIsFreedAndNoServerRuns() throws Exception {
    long serversBefore = serverThreads();
    for (int i = 0; i < 10; i++) {
      Broadcaster broadcaster = Streams.start(new BroadcasterConfig());
      int port = broadcaster.port();
      try (Socket client = new Socket("127.0.0.1", port)) {
        Thread.sleep(i % 5); // closes at different points of the server's start
        broadcaster.close();
      }
      awaitBindable(port);
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (serverThreads() > serversBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(serversBefore, serverThreads(), "servers left running after close");
  }

  @Test
  void closedBeforeAnyClientThePortIsFreedAndTheThreadEnds() throws Exception {
    WaitingListener waiting = WaitingListener.bind(new InetSocketAddress("127.0.0.1", 0));
    int port = waiting.port();
    CompletableFuture<ServerSocketChannel> served = new CompletableFuture<>();
    waiting.awaitFirstClient(served::complete);
    waiting.close();
    awaitNoThread("pulse-stream");
    assertFalse(served.isDone(), "closed, then handed over");
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress("127.0.0.1", port)); // free again
    }
  }

  /** An interrupt neither ends the wait nor makes it spin: the next client is still served. */
  @Test
  void anInterruptedWaitKeepsSleeping() throws Exception {
    WaitingListener waiting = WaitingListener.bind(new InetSocketAddress("127.0.0.1", 0));
    CompletableFuture<ServerSocketChannel> served = new CompletableFuture<>();
    waiting.awaitFirstClient(served::complete);
    Thread thread = Thread.getAllStackTraces().keySet().stream()
        .filter(each -> each.getName().equals("pulse-stream")).findFirst().orElseThrow();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    thread.interrupt();
    long before = threads.getThreadCpuTime(thread.getId());
    Thread.sleep(500);
    long spent = threads.getThreadCpuTime(thread.getId()) - before;
    assertTrue(spent < 100_000_000L, "the wait ran " + spent / 1_000_000 + " ms of CPU in 500 ms");
    try (Socket client = new Socket("127.0.0.1", waiting.port());
        ServerSocketChannel channel = served.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      assertTrue(channel.isOpen());
    }
  }

  @Test
  void theFirstConnectionIsHandedOverStillToAccept() throws Exception {
    WaitingListener waiting = WaitingListener.bind(new InetSocketAddress("127.0.0.1", 0));
    CompletableFuture<ServerSocketChannel> served = new CompletableFuture<>();
    waiting.awaitFirstClient(served::complete);
    try (Socket client = new Socket("127.0.0.1", waiting.port());
        ServerSocketChannel channel = served.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      channel.configureBlocking(true);
      try (var accepted = channel.accept()) {
        assertEquals(client.getLocalPort(),
            ((InetSocketAddress) accepted.getRemoteAddress()).getPort());
      }
      waiting.close(); // too late: the channel is the server's
      assertTrue(channel.isOpen());
    }
  }

  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("WebSocketSelector-")).count();
  }

  private static void awaitBindable(int port) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try (ServerSocket again = new ServerSocket()) {
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress("127.0.0.1", port));
        return;
      } catch (IOException stillBound) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("port " + port + " still bound after close", stillBound);
        }
        Thread.sleep(20);
      }
    }
  }

  private static void awaitNoThread(String name) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.getName().equals(name))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " still runs");
      }
      Thread.sleep(20);
    }
  }
}
