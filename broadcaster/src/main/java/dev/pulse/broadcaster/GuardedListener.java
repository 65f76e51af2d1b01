package dev.pulse.broadcaster;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import org.java_websocket.server.WebSocketServer;

/**
 * The listening socket as Java-WebSocket's selector loop sees it. The library closes its listener
 * for good when an accept fails, and an accept fails whenever the process has no file descriptor
 * left: a host that leaks them, or a flood of clients. So this one keeps a descriptor in reserve,
 * given back just for each accept and taken again after it (a connection accepted when it cannot
 * be taken again is closed at once: the process is at its limit); and an accept that fails even so
 * (another thread took the freed descriptor first) pauses accepting for a moment, the connection
 * left waiting in the kernel's backlog, as Netty's and Tomcat's acceptors do. Only a closed
 * listener ends the loop.
 *
 * <p>Everything but the timer that ends a pause runs on the selector thread.
 */
final class GuardedListener extends ServerSocketChannel {
  static final long FIRST_PAUSE_MILLIS = 50;
  static final long LONGEST_PAUSE_MILLIS = 1000;

  private final ServerSocketChannel listener;
  private final ConnectionGuard timers;
  private final RefusalLog refusals;
  /** False where no reserve could be had at all (no sockets of that kind): nothing to free then. */
  private final boolean reserving;
  private DatagramChannel reserve;
  private SelectionKey key;
  private volatile boolean paused;
  private long pauseMillis = FIRST_PAUSE_MILLIS;

  private GuardedListener(ServerSocketChannel listener, ConnectionGuard timers,
      RefusalLog refusals) {
    super(listener.provider());
    this.listener = listener;
    this.timers = timers;
    this.refusals = refusals;
    reserve = openReserve();
    reserving = reserve != null;
  }

  /**
   * Puts a guarded listener in place of the server's own, once the server has bound and
   * registered it (from {@code onStart}, on the selector thread, before the first accept).
   */
  static GuardedListener install(WebSocketServer server, ConnectionGuard timers,
      RefusalLog refusals) throws ReflectiveOperationException {
    Field field = listenerField();
    GuardedListener guarded = new GuardedListener((ServerSocketChannel) field.get(server), timers,
        refusals);
    field.set(server, guarded);
    return guarded;
  }

  /**
   * Gives a server not started yet a socket already bound (a {@link WaitingListener}'s, its first
   * connection in the backlog): the server registers and accepts from it instead of binding one.
   */
  static void handOver(WebSocketServer server, ServerSocketChannel bound)
      throws ReflectiveOperationException {
    listenerField().set(server, bound);
  }

  /** Java-WebSocket's listening channel: set only through its constructor otherwise. */
  private static Field listenerField() throws NoSuchFieldException {
    Field field = WebSocketServer.class.getDeclaredField("server");
    field.setAccessible(true);
    return field;
  }

  /** The listener's key with its selector, handed over right before each accept (onConnect). */
  void accepting(SelectionKey listenerKey) {
    key = listenerKey;
  }

  @Override
  public SocketChannel accept() throws IOException {
    if (paused) {
      return null; // the library calls again while its key stays selected: the pause holds
    }
    closeReserve();
    SocketChannel accepted;
    try {
      accepted = listener.accept();
    } catch (ClosedChannelException closed) {
      throw closed; // stopping
    } catch (IOException failed) {
      takeReserve();
      pause(failed);
      return null;
    }
    pauseMillis = FIRST_PAUSE_MILLIS;
    if (accepted != null && !takeReserve()) {
      refusals.refused("out of file descriptors", String.valueOf(ConnectionGuard.remote(accepted)));
      accepted.close();
      takeReserve();
      return null;
    }
    return accepted;
  }

  /** False when a reserve is kept but none could be had: the process is at its limit. */
  private boolean takeReserve() {
    if (!reserving) {
      return true;
    }
    reserve = openReserve();
    return reserve != null;
  }

  private void pause(IOException failed) {
    long millis = pauseMillis;
    pauseMillis = Math.min(2 * pauseMillis, LONGEST_PAUSE_MILLIS);
    refusals.refused("accept failed", failed.getMessage() + "; the waiting connections are"
        + " accepted again in " + millis + " ms");
    SelectionKey listening = key;
    paused = true;
    listening.interestOps(0);
    timers.later(() -> {
      try {
        // interest first: a pause taken after this one's end then comes after it, never before
        listening.interestOps(SelectionKey.OP_ACCEPT);
        paused = false;
        listening.selector().wakeup();
      } catch (CancelledKeyException stopped) {
        // the server stopped meanwhile
      }
    }, millis);
  }

  private void closeReserve() {
    if (reserve != null) {
      try {
        reserve.close();
      } catch (IOException e) {
        // it was only a reservation
      }
      reserve = null;
    }
  }

  private static DatagramChannel openReserve() {
    try {
      return DatagramChannel.open();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected void implCloseSelectableChannel() throws IOException {
    closeReserve();
    listener.close();
  }

  @Override
  protected void implConfigureBlocking(boolean block) throws IOException {
    listener.configureBlocking(block);
  }

  @Override
  public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
    listener.bind(local, backlog);
    return this;
  }

  @Override
  public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
    listener.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return listener.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return listener.supportedOptions();
  }

  @Override
  public ServerSocket socket() {
    return listener.socket();
  }

  @Override
  public SocketAddress getLocalAddress() throws IOException {
    return listener.getLocalAddress();
  }
}
