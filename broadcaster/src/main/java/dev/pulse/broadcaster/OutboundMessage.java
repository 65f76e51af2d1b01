package dev.pulse.broadcaster;

import java.nio.ByteBuffer;
import org.java_websocket.framing.TextFrame;

/**
 * One serialized envelope, framed once and sent as is to every client that wants it; the JSON and
 * the frame are built once per message, never once per client.
 */
final class OutboundMessage {
  private final long seq;
  private final Channel channel;
  private final String stateKey;
  private final TextFrame frame;
  private final int byteLength;

  OutboundMessage(long seq, Channel channel, String stateKey, byte[] json) {
    this.seq = seq;
    this.channel = channel;
    this.stateKey = stateKey;
    this.byteLength = json.length;
    this.frame = new TextFrame();
    // Java-WebSocket copies the payload into each client's buffer and rewinds it afterwards, so
    // one frame serves every client; all sends happen on the dispatcher thread.
    this.frame.setPayload(ByteBuffer.wrap(json));
    this.frame.setFin(true);
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

  TextFrame frame() {
    return frame;
  }

  int byteLength() {
    return byteLength;
  }
}
