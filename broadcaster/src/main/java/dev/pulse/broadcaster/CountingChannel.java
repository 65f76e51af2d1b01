package dev.pulse.broadcaster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import org.java_websocket.WrappedByteChannel;

/**
 * The socket as the library sees it, telling the connection how much of its queue went out: each
 * write uncounts the bytes it took from the buffer, and a buffer written to its end its
 * bookkeeping too. TLS channels stay what they were underneath (their extra reads and writes pass
 * through).
 */
final class CountingChannel implements WrappedByteChannel {
  private final ByteChannel inner;
  private final WrappedByteChannel wrapped;
  private final GuardedConnection connection;

  CountingChannel(ByteChannel inner, GuardedConnection connection) {
    this.inner = inner;
    this.wrapped = inner instanceof WrappedByteChannel ? (WrappedByteChannel) inner : null;
    this.connection = connection;
  }

  /**
   * The selector thread writes the connection's queue through here and the dispatcher its events
   * (see {@link GuardedConnection#sendFramed}); the connection's write lock keeps their bytes from
   * interleaving.
   */
  @Override
  public int write(ByteBuffer source) throws IOException {
    synchronized (connection.writeLock()) {
      int before = source.remaining();
      try {
        return inner.write(source);
      } finally {
        int taken = before - source.remaining();
        if (taken > 0) {
          connection.written(taken + (source.hasRemaining() ? 0 : GuardedConnection.FRAME_OVERHEAD));
        }
      }
    }
  }

  /**
   * Writes as much of {@code count} frames as the socket takes, in one call; false from
   * {@link #gathers()} means this is not to be called.
   */
  long write(ByteBuffer[] frames, int count) throws IOException {
    synchronized (connection.writeLock()) {
      long taken = 0;
      try {
        taken = ((GatheringByteChannel) inner).write(frames, 0, count);
        return taken;
      } finally {
        if (taken > 0) {
          int whole = 0;
          while (whole < count && !frames[whole].hasRemaining()) {
            whole++;
          }
          connection.written(taken + (long) whole * GuardedConnection.FRAME_OVERHEAD);
        }
      }
    }
  }

  /**
   * A plain socket, which takes several frames in one write; bytes written to it are on their way
   * (TLS needs the selector thread's care).
   */
  boolean gathers() {
    return wrapped == null && inner instanceof GatheringByteChannel;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    return inner.read(target);
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  @Override
  public boolean isNeedWrite() {
    return wrapped != null && wrapped.isNeedWrite();
  }

  @Override
  public void writeMore() throws IOException {
    if (wrapped != null) {
      wrapped.writeMore();
    }
  }

  @Override
  public boolean isNeedRead() {
    return wrapped != null && wrapped.isNeedRead();
  }

  @Override
  public int readMore(ByteBuffer target) throws IOException {
    return wrapped == null ? 0 : wrapped.readMore(target);
  }

  @Override
  public boolean isBlocking() {
    return wrapped != null && wrapped.isBlocking();
  }
}
