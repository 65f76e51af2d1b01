package dev.pulse.broadcaster;

import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.function.Consumer;

/**
 * The stream's port, bound as the agent starts, and one thread asleep in a selector until the first
 * connection comes: only then is the WebSocket server built (Java-WebSocket's classes, its selector
 * and decoder threads), the connection waiting in the kernel's backlog meanwhile. An agent nobody
 * connects to, as on most replicas of a fleet, never pays for a server; a failed bind is still
 * known at start.
 */
final class WaitingListener {
  private static final PulseLog LOG = PulseLog.forComponent("broadcaster");

  private final ServerSocketChannel channel;
  private final Selector selector;
  private boolean closed;

  private WaitingListener(ServerSocketChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  /** Binds {@code address} (port 0 picks a free one) and registers for its first connection. */
  static WaitingListener bind(InetSocketAddress address) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    Selector selector = null;
    try {
      channel.socket().setReuseAddress(true);
      channel.bind(address);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_ACCEPT);
      return new WaitingListener(channel, selector);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      channel.close();
      throw e;
    }
  }

  /** The port really bound. */
  int port() {
    return channel.socket().getLocalPort();
  }

  /**
   * Starts the waiting thread: at the first connection it hands the bound channel (that
   * connection still to accept) to {@code serve} and ends.
   */
  void awaitFirstClient(Consumer<ServerSocketChannel> serve) {
    Thread thread = new Thread(() -> {
      if (firstClient()) {
        serve.accept(channel);
      }
    }, "pulse-stream");
    thread.setDaemon(true);
    thread.start();
  }

  /** True when a connection came first; false when closed first. */
  private boolean firstClient() {
    try {
      while (selector.select() == 0) {
        if (isClosed()) {
          return false;
        }
        // an interrupt is not a close (the stream outlives one): cleared, or select would spin
        Thread.interrupted();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!isClosed()) {
        LOG.error("the stream stopped waiting for its first client (" + e + "); the stream is"
            + " off, the application is unaffected");
        close(); // a port nobody serves would leave its clients hanging
      }
      return false;
    }
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true; // the channel is the server's from now on
      try {
        selector.close(); // and registered with the server's selector next
      } catch (IOException e) {
        // it only held the registration
      }
      return true;
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Stops waiting and closes the port, unless the first client already came. */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      selector.close(); // wakes the waiting thread, which then ends
      channel.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }
}
