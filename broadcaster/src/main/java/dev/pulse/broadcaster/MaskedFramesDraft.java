package dev.pulse.broadcaster;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;

/**
 * RFC 6455 with the rule Java-WebSocket leaves out: a server must close the connection (1002) on a
 * client frame that is not masked (found by the fuzzer). The frame headers are followed across
 * reads, payloads skipped, before the draft decodes the same bytes.
 */
final class MaskedFramesDraft extends Draft_6455 {
  private final int maxFrameBytes;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadLeft;

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
        headerLength = 0;
        headerNeeded = 2;
      }
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
