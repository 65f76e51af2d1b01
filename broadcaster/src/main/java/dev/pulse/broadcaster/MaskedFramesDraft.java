package dev.pulse.broadcaster;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;

/**
 * RFC 6455 with two rules Java-WebSocket leaves out. A server must close the connection (1002) on
 * a client frame that is not masked (found by the fuzzer). And a message's size counts across its
 * fragments: the library checks the total only when the final fragment arrives, so continuation
 * frames without an end grew its buffer without limit; here a message whose announced frames add
 * up to more than the limit closes the connection (1009) as soon as the header that crosses it
 * arrives, before its payload is read. The frame headers are followed across reads, payloads
 * skipped, before the draft decodes the same bytes.
 */
final class MaskedFramesDraft extends Draft_6455 {
  private final int maxFrameBytes;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadLeft;
  /** Payload bytes of the data message in progress, its fragments so far included. */
  private long messageBytes;

  MaskedFramesDraft(int maxFrameBytes) {
    super(Collections.emptyList(), maxFrameBytes);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Draft copyInstance() {
    return new MaskedFramesDraft(maxFrameBytes);
  }

  @Override
  public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
    checkMasks(buffer.duplicate());
    return super.translateFrame(buffer);
  }

  @Override
  public void reset() {
    super.reset();
    headerLength = 0;
    headerNeeded = 2;
    payloadLeft = 0;
    messageBytes = 0;
  }

  private void checkMasks(ByteBuffer bytes) throws InvalidDataException {
    while (bytes.hasRemaining()) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, bytes.remaining());
        bytes.position(bytes.position() + skip);
        payloadLeft -= skip;
        continue;
      }
      header[headerLength++] = bytes.get();
      if (headerLength == 2) {
        if ((header[1] & 0x80) == 0) {
          throw new InvalidDataException(CloseFrame.PROTOCOL_ERROR, "a client frame must be masked");
        }
        int length = header[1] & 0x7f;
        headerNeeded = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
      }
      if (headerLength == headerNeeded) {
        payloadLeft = payloadLength();
        countMessage(payloadLeft);
        headerLength = 0;
        headerNeeded = 2;
      }
    }
  }

  /** Control frames (opcode 8 and up) may come between fragments and belong to no message. */
  private void countMessage(long framePayload) throws LimitExceededException {
    int opcode = header[0] & 0x0f;
    if (opcode >= 0x8) {
      return;
    }
    messageBytes = opcode == 0x0 ? messageBytes + framePayload : framePayload;
    // one frame over the limit is the draft's own check (same close code)
    if (opcode == 0x0 && messageBytes > maxFrameBytes) {
      long total = messageBytes;
      messageBytes = 0;
      throw new LimitExceededException("message of " + total + " bytes or more over its fragments,"
          + " limit " + maxFrameBytes, maxFrameBytes);
    }
    if ((header[0] & 0x80) != 0) {
      messageBytes = 0; // the final fragment
    }
  }

  private long payloadLength() {
    int length = header[1] & 0x7f;
    if (length < 126) {
      return length;
    }
    long value = 0;
    for (int i = 2; i < (length == 126 ? 4 : 10); i++) {
      value = (value << 8) | (header[i] & 0xff);
    }
    return value;
  }
}
