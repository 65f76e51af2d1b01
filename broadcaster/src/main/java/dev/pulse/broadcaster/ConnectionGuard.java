package dev.pulse.broadcaster;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
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
 * deadline is pending.
 *
 * <p>It also keeps one file descriptor in reserve for the listener: when the process runs out,
 * Java-WebSocket's accept fails and closes the listening socket for good. The reserve is given
 * back just before each accept and taken again after it; when it cannot be taken again, the
 * process is at its limit and the new connection is closed instead, so the listener lives on.
 */
final class ConnectionGuard {
  static final long CLOSE_GRACE_MILLIS = 2000;

  private final int maxPending;
  private final long handshakeMillis;
  private final AtomicInteger pending = new AtomicInteger();
  private final ScheduledThreadPoolExecutor timers;
  private final RefusalLog refusals;
  /** False where no reserve could be had at all (no sockets of that kind): nothing to free then. */
  private final boolean reserving;
  private DatagramChannel reserve;

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
    reserve = openReserve();
    reserving = reserve != null;
  }

  /** On the selector thread, right before it accepts: the reserved descriptor is free for it. */
  void beforeAccept() {
    closeReserve();
  }

  /**
   * On the selector thread, for a socket just accepted: true when it may go on to its handshake
   * (counted as pending until admitted or closed), false when it was closed.
   */
  boolean accept(SocketChannel channel, GuardedConnection connection) {
    reserve = reserving ? openReserve() : null;
    String refusal = null;
    if (reserving && reserve == null) {
      refusal = "out of file descriptors";
    } else if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      refusal = "more than " + maxPending + " connections in their handshake";
    }
    if (refusal != null) {
      refusals.refused(refusal, String.valueOf(remote(channel)));
      try {
        channel.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
      reserve = reserving && reserve == null ? openReserve() : reserve;
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
    try {
      timers.schedule(() -> {
        if (!connection.isClosed()) {
          connection.closeConnection(code, "closed without reading the close frame");
        }
      }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // the server is stopping: its sockets close with it
    }
  }

  void close() {
    timers.shutdownNow();
    closeReserve();
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

  private static Object remote(SocketChannel channel) {
    try {
      return channel.getRemoteAddress();
    } catch (IOException e) {
      return "?";
    }
  }
}
