package dev.pulse.broadcaster;

import java.nio.ByteBuffer;

/**
 * One serialized envelope, framed once and sent as is to every client that wants it; the JSON and
 * the frame are built once per message, never once per client.
 */
final class OutboundMessage {
  private static final byte FIN_TEXT = (byte) 0x81;

  private final long seq;
  private final Channel channel;
  private final String stateKey;
  /** The whole frame as a server puts it on the wire; never written into, so clients share it. */
  private final ByteBuffer frame;
  private final int byteLength;

  OutboundMessage(long seq, Channel channel, String stateKey, byte[] json) {
    this.seq = seq;
    this.channel = channel;
    this.stateKey = stateKey;
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

  /** The frame's bytes in a buffer of the caller's own: its position is the caller's to move. */
  ByteBuffer frame() {
    return frame.duplicate();
  }

  /** The JSON's length, without the frame's header. */
  int byteLength() {
    return byteLength;
  }
}
