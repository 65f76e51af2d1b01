package dev.pulse.broadcaster;

import java.nio.ByteBuffer;

/**
 * One envelope, framed once and sent as is to every client that wants it; the JSON and the frame
 * are built once per message, never once per client. A channel event is numbered when the
 * dispatcher takes it and written only when a client first needs it: with no client watching,
 * an event costs its place in the history, not its JSON. An unwritten message is written and
 * read on the dispatcher's thread only.
 */
final class OutboundMessage {
  private static final byte FIN_TEXT = (byte) 0x81;

  private final long seq;
  private final Channel channel;
  private final String stateKey;
  /** The event until it is written (or found unwritable); null for a message written at once. */
  private Event event;
  /** The whole frame as a server puts it on the wire; never written into, so clients share it. */
  private ByteBuffer frame;
  private int byteLength;

  /** A message written at once: a control reply, a series. */
  OutboundMessage(long seq, Channel channel, String stateKey, byte[] json) {
    this.seq = seq;
    this.channel = channel;
    this.stateKey = stateKey;
    framed(json);
  }

  private OutboundMessage(long seq, Event event) {
    this.seq = seq;
    this.channel = event.channel();
    this.stateKey = event.stateKey();
    this.event = event;
  }

  /** A channel event numbered {@code seq}, written by {@link #write} when first needed. */
  static OutboundMessage unwritten(long seq, Event event) {
    return new OutboundMessage(seq, event);
  }

  /**
   * Writes the envelope if it is not written yet; true when there is a frame to send. Should the
   * writer fail, it throws here once and the message is never sent (nor tried again).
   */
  boolean write(EnvelopeWriter writer) {
    Event pending = event;
    if (pending == null) {
      return frame != null;
    }
    event = null; // written now or never: a failure is not paid again by every client
    framed(writer.write(pending.type(), channel.wireName(), seq, pending.data(),
        pending.timestampMillis()));
    return true;
  }

  private void framed(byte[] json) {
    this.byteLength = json.length;
    this.frame = textFrame(json);
  }

  /** RFC 6455 5.2: one final text frame, its length in 7, 16 or 64 bits, a server's unmasked. */
  private static ByteBuffer textFrame(byte[] payload) {
    int length = payload.length;
    ByteBuffer frame = ByteBuffer.allocate((length < 126 ? 2 : length < 65536 ? 4 : 10) + length);
    frame.put(FIN_TEXT);
    if (length < 126) {
      frame.put((byte) length);
    } else if (length < 65536) {
      frame.put((byte) 126).putShort((short) length);
    } else {
      frame.put((byte) 127).putLong(length);
    }
    frame.put(payload).flip();
    return frame;
  }

  long seq() {
    return seq;
  }

  /** Null for control replies (welcome, pong, error...), which belong to no channel. */
  Channel channel() {
    return channel;
  }

  String stateKey() {
    return stateKey;
  }

  /**
   * The frame's bytes in a buffer of the caller's own: its position is the caller's to move. Only
   * after {@link #write} returned true.
   */
  ByteBuffer frame() {
    return frame.duplicate();
  }

  /** The JSON's length, without the frame's header. Only after {@link #write} returned true. */
  int byteLength() {
    return byteLength;
  }
}
