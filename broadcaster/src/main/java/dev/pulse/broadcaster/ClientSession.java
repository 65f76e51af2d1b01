package dev.pulse.broadcaster;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import org.java_websocket.WebSocket;

/**
 * One connected client: its subscription and the guard on its outgoing buffer. Its state is
 * touched by the dispatcher thread only.
 */
final class ClientSession {
  private final WebSocket connection;
  private final String remote;
  private final EnumSet<Channel> channels = EnumSet.allOf(Channel.class);
  /** A client may sit over its budget this long (a burst, a replay) before it counts as stuck. */
  static final long GRACE_NANOS = 1_000_000_000L;

  /** A long reply (the series) waiting for room in the client's buffer, sent a message at a time. */
  private final ArrayDeque<OutboundMessage> queuedReplies = new ArrayDeque<>();

  /** A series reply is being built for this client on the series thread. */
  private boolean seriesBuilding;
  private boolean subscribedExplicitly;
  private long overBudgetSince;

  ClientSession(WebSocket connection) {
    this.connection = connection;
    this.remote = String.valueOf(connection.getRemoteSocketAddress());
  }

  WebSocket connection() {
    return connection;
  }

  String remote() {
    return remote;
  }

  boolean wants(Channel channel) {
    return channel == null || channels.contains(channel);
  }

  /** A client that never subscribes receives every channel; its first subscribe narrows that. */
  void subscribe(Collection<Channel> requested) {
    if (!subscribedExplicitly) {
      channels.clear();
      subscribedExplicitly = true;
    }
    channels.addAll(requested);
  }

  void unsubscribe(Collection<Channel> requested) {
    subscribedExplicitly = true;
    channels.removeAll(requested);
  }

  Set<Channel> channels() {
    return EnumSet.copyOf(channels);
  }

  /**
   * True when the client is to be closed: its unsent bytes stayed over the budget for longer than
   * the grace period, or reached twice the budget, which bounds its memory in any case.
   */
  boolean overBudget(long pendingBytes, long budget, long nowNanos) {
    if (pendingBytes <= budget) {
      overBudgetSince = 0;
      return false;
    }
    if (pendingBytes > 2 * budget) {
      return true;
    }
    if (overBudgetSince == 0) {
      overBudgetSince = nowNanos;
      return false;
    }
    return nowNanos - overBudgetSince > GRACE_NANOS;
  }

  boolean seriesBuilding() {
    return seriesBuilding;
  }

  void seriesBuilding(boolean building) {
    seriesBuilding = building;
  }

  ArrayDeque<OutboundMessage> queuedReplies() {
    return queuedReplies;
  }

  /**
   * Bytes queued for this client and not yet written to its socket, bookkeeping included
   * ({@link GuardedConnection}), or -1 for a connection that does not count them. Java-WebSocket's
   * per-connection queue is unbounded, so this is what bounds it.
   */
  long pendingBytes() {
    return connection instanceof GuardedConnection
        ? ((GuardedConnection) connection).unsentBytes() : -1;
  }
}
