package dev.pulse.broadcaster;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/**
 * One connected client: its subscription and the guard on its outgoing buffer. Its state is
 * touched by the dispatcher thread only.
 */
final class ClientSession {
  /** Below this many queued frames the byte count is only sampled: counting walks the queue. */
  private static final int EXACT_COUNT_FRAMES = 32;

  private final WebSocket connection;
  private final String remote;
  private final EnumSet<Channel> channels = EnumSet.allOf(Channel.class);
  private boolean subscribedExplicitly;
  private int sendsSinceCount;

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
   * Bytes queued for this client and not yet written to its socket, or a lower bound between
   * samples. Java-WebSocket's per-connection queue is unbounded, so this is what bounds it.
   */
  long pendingBytes() {
    if (!(connection instanceof WebSocketImpl)) {
      return 0;
    }
    Collection<ByteBuffer> queue = ((WebSocketImpl) connection).outQueue;
    if (queue.size() < EXACT_COUNT_FRAMES && ++sendsSinceCount < EXACT_COUNT_FRAMES) {
      return 0;
    }
    sendsSinceCount = 0;
    long bytes = 0;
    for (ByteBuffer buffer : queue) {
      bytes += buffer.remaining();
    }
    return bytes;
  }
}
