package dev.pulse.broadcaster;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.BiConsumer;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Makes every connection a {@link GuardedConnection} on a {@link CountingChannel}, over the plain
 * or the TLS factory, and lets the {@link ConnectionGuard} admit or close each accepted socket.
 */
final class GuardedSocketFactory implements WebSocketServerFactory {
  private final WebSocketServerFactory inner;
  private final ConnectionGuard guard;
  private final long hardLimit;
  private final int handshakeLimit;
  private final BiConsumer<GuardedConnection, String> slowCut;

  GuardedSocketFactory(WebSocketServerFactory inner, ConnectionGuard guard, long hardLimit,
      int handshakeLimit, BiConsumer<GuardedConnection, String> slowCut) {
    this.inner = inner;
    this.guard = guard;
    this.hardLimit = hardLimit;
    this.handshakeLimit = handshakeLimit;
    this.slowCut = slowCut;
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter listener, Draft draft) {
    return createWebSocket(listener, List.of(draft));
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter listener, List<Draft> drafts) {
    return new GuardedConnection(listener, drafts, hardLimit, handshakeLimit, slowCut);
  }

  @Override
  public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
    GuardedConnection connection = (GuardedConnection) key.attachment();
    if (!guard.accept(channel, connection)) {
      return channel; // closed: its key is gone with it, the library never hears from it again
    }
    return new CountingChannel(inner.wrapChannel(channel, key), connection);
  }

  @Override
  public void close() {
    inner.close();
  }
}
