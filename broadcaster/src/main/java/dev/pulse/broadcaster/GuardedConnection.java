package dev.pulse.broadcaster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;

/**
 * One connection with the bounds Java-WebSocket does not keep. Every frame queued for the client
 * (events, replies, pongs, close frames) is counted when it is queued and uncounted as it is
 * written ({@link CountingChannel}); one that would take the unsent bytes over the hard limit cuts
 * the connection instead of being queued. The handshake request is collected here, up to a size
 * limit, and handed to the library once it is complete: the library re-parses its whole buffer at
 * every read, which made a slowly sent large request cost quadratic time.
 */
final class GuardedConnection extends WebSocketImpl {
  /**
   * What a queued frame costs the heap beyond its bytes: the buffer object, its array header and
   * the queue's node. A flood of tiny pongs must not hide behind its few bytes on the wire.
   */
  static final int FRAME_OVERHEAD = 100;
  /**
   * Room over twice the budget: the dispatcher closes a client over it with a close frame it can
   * still read (4008 and why); only what comes around it (pongs, library frames) or beyond it is
   * cut here, without a word.
   */
  static final int SLACK = 4096;

  private static final byte[] TOO_LARGE = ("HTTP/1.1 431 Request Header Fields Too Large\r\n"
      + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final long hardLimit;
  private final int handshakeLimit;
  private final BiConsumer<GuardedConnection, String> slowCut;
  private final AtomicLong unsent = new AtomicLong();
  private final AtomicBoolean released = new AtomicBoolean();
  /**
   * Orders the bytes of this socket: the dispatcher writes directly while nothing is queued, the
   * selector thread writes the queue, other threads queue pongs and close frames.
   */
  private final Object writeLock = new Object();
  private volatile ScheduledFuture<?> deadline;
  private volatile Runnable onRelease = () -> { };
  private ByteBuffer handshake;
  /** How many bytes of "\r\n\r\n" the request head ended with at the previous read. */
  private int endMatched;

  /** {@code slowCut} is told of each client cut for being this far behind (to log and count it). */
  GuardedConnection(WebSocketListener listener, List<Draft> drafts, long hardLimit,
      int handshakeLimit, BiConsumer<GuardedConnection, String> slowCut) {
    super(listener, drafts);
    this.hardLimit = hardLimit;
    this.handshakeLimit = handshakeLimit;
    this.slowCut = slowCut;
  }

  /** Bytes queued for the client and not yet written to its socket, bookkeeping included. */
  long unsentBytes() {
    return unsent.get();
  }

  void written(long bytes) {
    unsent.accumulateAndGet(bytes, (now, done) -> Math.max(0, now - done));
  }

  /**
   * Held by every write to the socket and every frame queued. Taken after this connection's own
   * monitor (the library's close holds it while it queues its close frame), never before it: a
   * send that finds the client over its limit closes it before taking this lock.
   */
  Object writeLock() {
    return writeLock;
  }

  /**
   * Sends frames already in wire form (the dispatcher frames a message once for every client), in
   * order. With nothing queued before them on a plain socket, they are written at once on the
   * caller's thread, in one write the socket takes or leaves without blocking; only what the socket
   * does not take is queued for the selector thread. Java-WebSocket queues every frame and asks
   * the selector for write readiness, which cost each client and event a hand-off to that thread,
   * a write of its own and two changes of the selector's interest set.
   */
  void sendFramed(ByteBuffer[] frames, int count) {
    if (!isOpen()) {
      throw new WebsocketNotConnectedException();
    }
    long cost = 0;
    for (int i = 0; i < count; i++) {
      cost += frames[i].remaining() + FRAME_OVERHEAD;
    }
    if (!admit(cost, false)) {
      return;
    }
    synchronized (writeLock) {
      ByteChannel channel = getChannel();
      int whole = 0;
      if (outQueue.isEmpty() && channel instanceof CountingChannel
          && ((CountingChannel) channel).gathers()) {
        try {
          ((CountingChannel) channel).write(frames, count);
        } catch (IOException e) {
          // queued below: the selector thread's write meets the error and closes the connection
        }
        while (whole < count && !frames[whole].hasRemaining()) {
          whole++;
        }
      }
      if (whole == count) {
        return;
      }
      for (int i = whole; i < count; i++) {
        outQueue.add(frames[i]);
      }
      getWebSocketListener().onWriteDemand(this);
    }
  }

  @Override
  public void sendFrame(Framedata frame) {
    if (admit(cost(frame), frame.getOpcode() == Opcode.CLOSING)) {
      synchronized (writeLock) {
        super.sendFrame(frame);
      }
    }
  }

  @Override
  public void sendFrame(Collection<Framedata> frames) {
    long cost = 0;
    boolean closing = false;
    for (Framedata frame : frames) {
      cost += cost(frame);
      closing |= frame.getOpcode() == Opcode.CLOSING;
    }
    if (admit(cost, closing)) {
      synchronized (writeLock) {
        super.sendFrame(frames);
      }
    }
  }

  private boolean admit(long cost, boolean closeFrame) {
    long now = unsent.addAndGet(cost);
    if (now <= hardLimit) {
      return true;
    }
    unsent.addAndGet(-cost);
    // A client this far behind cannot read a close frame either: cut its socket. One already
    // being closed (this is its close frame) was told of and counted when that began.
    String reason = "slow consumer: " + (now - cost) + " bytes not yet read, limit " + hardLimit;
    if (!closeFrame) {
      slowCut.accept(this, reason);
    }
    closeConnection(Dispatcher.SLOW_CONSUMER_CODE, reason);
    return false;
  }

  private static long cost(Framedata frame) {
    int payload = frame.getPayloadData().remaining();
    int header = payload < 126 ? 2 : payload < 65536 ? 4 : 10;
    return payload + header + FRAME_OVERHEAD;
  }

  @Override
  public void decode(ByteBuffer bytes) {
    if (getReadyState() != ReadyState.NOT_YET_CONNECTED) {
      super.decode(bytes);
      return;
    }
    boolean complete = endsHead(bytes);
    if (handshake == null && complete) {
      super.decode(bytes); // the usual case: the whole request in one read
      return;
    }
    int held = handshake == null ? 0 : handshake.position();
    if (held + bytes.remaining() > handshakeLimit) {
      refuseLargeHandshake();
      return;
    }
    if (handshake == null || handshake.remaining() < bytes.remaining()) {
      ByteBuffer larger = ByteBuffer.allocate(Math.min(handshakeLimit,
          Math.max(2 * (held + bytes.remaining()), 1024)));
      if (handshake != null) {
        handshake.flip();
        larger.put(handshake);
      }
      handshake = larger;
    }
    handshake.put(bytes);
    if (complete) {
      ByteBuffer whole = handshake;
      handshake = null;
      whole.flip();
      super.decode(whole);
    }
  }

  /** Scans only the new bytes for the blank line that ends the request head: linear in all. */
  private boolean endsHead(ByteBuffer bytes) {
    boolean found = false;
    for (int i = bytes.position(); i < bytes.limit() && !found; i++) {
      byte b = bytes.get(i);
      boolean expected = b == (endMatched % 2 == 0 ? '\r' : '\n');
      endMatched = expected ? endMatched + 1 : b == '\r' ? 1 : 0;
      found = endMatched == 4;
    }
    return found;
  }

  private void refuseLargeHandshake() {
    handshake = null;
    try {
      getChannel().write(ByteBuffer.wrap(TOO_LARGE)); // best effort: it is closed right after
    } catch (IOException | RuntimeException e) {
      // the client is gone or not reading: the close below is all it gets
    }
    closeConnection(CloseFrame.TOOBIG, "handshake request over " + handshakeLimit + " bytes");
  }

  /** Set when the connection is accepted: its handshake deadline, and what closing releases. */
  void guard(ScheduledFuture<?> handshakeDeadline, Runnable release) {
    this.deadline = handshakeDeadline;
    this.onRelease = release;
  }

  /** Neither admitted nor closed yet. */
  boolean stillPending() {
    return !released.get();
  }

  /** The handshake is done and the client admitted: it no longer counts as pending. */
  void admitted() {
    release();
  }

  @Override
  public synchronized void closeConnection(int code, String message, boolean remote) {
    try {
      super.closeConnection(code, message, remote);
    } finally {
      handshake = null;
      release();
    }
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      ScheduledFuture<?> pending = deadline;
      if (pending != null) {
        pending.cancel(false);
      }
      onRelease.run();
    }
  }
}
