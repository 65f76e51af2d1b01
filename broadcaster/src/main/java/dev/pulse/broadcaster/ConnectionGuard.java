package dev.pulse.broadcaster;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.framing.CloseFrame;

/**
 * What a connection may cost before it is admitted, and how long any connection may take to go.
 * Connections still in their handshake are capped in number and closed at a deadline; one the
 * server closed that does not go within a grace period (its client reads nothing, not even the
 * close frame) has its socket cut. The timers run on one daemon thread that exists only while a
 * deadline is pending (the {@link GuardedListener}'s pauses run there too).
 */
final class ConnectionGuard {
  static final long CLOSE_GRACE_MILLIS = 2000;

  private final int maxPending;
  private final long handshakeMillis;
  private final AtomicInteger pending = new AtomicInteger();
  private final ScheduledThreadPoolExecutor timers;
  private final RefusalLog refusals;

  ConnectionGuard(int maxPending, long handshakeMillis, RefusalLog refusals) {
    this.maxPending = maxPending;
    this.handshakeMillis = handshakeMillis;
    this.refusals = refusals;
    this.timers = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "pulse-stream-deadlines");
      thread.setDaemon(true);
      return thread;
    });
    timers.setKeepAliveTime(5, TimeUnit.SECONDS);
    timers.allowCoreThreadTimeOut(true);
    timers.setRemoveOnCancelPolicy(true);
  }

  /**
   * On the selector thread, for a socket just accepted: true when it may go on to its handshake
   * (counted as pending until admitted or closed), false when it was closed.
   */
  boolean accept(SocketChannel channel, GuardedConnection connection) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      refusals.refused("more than " + maxPending + " connections in their handshake",
          String.valueOf(remote(channel)));
      try {
        channel.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
      return false;
    }
    ScheduledFuture<?> deadline = timers.schedule(() -> {
      if (connection.stillPending()) {
        refusals.refused("no handshake within " + handshakeMillis + " ms",
            String.valueOf(remote(channel)));
        connection.closeConnection(CloseFrame.POLICY_VALIDATION, "handshake too slow");
      }
    }, handshakeMillis, TimeUnit.MILLISECONDS);
    connection.guard(deadline, pending::decrementAndGet);
    return true;
  }

  /** The server started closing this connection: it has a grace period to go by itself. */
  void closing(GuardedConnection connection, int code) {
    later(() -> {
      if (!connection.isClosed()) {
        connection.closeConnection(code, "closed without reading the close frame");
      }
    }, CLOSE_GRACE_MILLIS);
  }

  /** Runs {@code task} on the timer thread after {@code millis}, unless the server stops first. */
  void later(Runnable task, long millis) {
    try {
      timers.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // the server is stopping: its sockets close with it
    }
  }

  void close() {
    timers.shutdownNow();
  }

  static Object remote(SocketChannel channel) {
    try {
      return channel.getRemoteAddress();
    } catch (IOException e) {
      return "?";
    }
  }
}
