package dev.pulse.broadcaster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client written by hand on a plain socket, for what the JDK client will not do: stop
 * reading entirely (with a small receive buffer, so the server's queue fills fast), send a message
 * in fragments, and read the server's close frame exactly (code and reason) even after not reading
 * for a while.
 */
final class RawFrameClient implements AutoCloseable {
  static final int OP_CONTINUATION = 0x0;
  static final int OP_TEXT = 0x1;
  static final int OP_CLOSE = 0x8;

  /** One frame from the server. */
  static final class Frame {
    final boolean fin;
    final int opcode;
    final byte[] payload;

    Frame(boolean fin, int opcode, byte[] payload) {
      this.fin = fin;
      this.opcode = opcode;
      this.payload = payload;
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String statusLine;

  private RawFrameClient(Socket socket, String statusLine) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.statusLine = statusLine;
  }

  /** Connects to 127.0.0.1:port and upgrades; {@code receiveBuffer} is set before connecting. */
  static RawFrameClient connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    String request = "GET / HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString("pulse-raw-key-01".getBytes(StandardCharsets.US_ASCII))
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String status = readLine(in);
    // skip the rest of the response head, so that frames start right after it
    while (!readLine(in).isEmpty()) {
      // header
    }
    return new RawFrameClient(socket, status);
  }

  boolean upgraded() {
    return statusLine.startsWith("HTTP/1.1 101");
  }

  String statusLine() {
    return statusLine;
  }

  /** Sends one client frame (masked, as a client must). */
  void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (((long) payload.length) >>> shift) & 0xff);
      }
    }
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Resets the connection (RST), as a killed process or a dropped network would. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Bytes as they are, framed or not: for hostile input. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendText(String text) throws IOException {
    sendFrame(true, OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server; throws on timeout, EOFException at end of stream. */
  Frame readFrame(long timeoutMillis) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeoutMillis));
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new IOException("a server frame must not be masked");
    }
    if (length > 64L * 1024 * 1024) {
      throw new IOException("absurd frame length " + length);
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
  }

  /**
   * Reads (and discards) everything until the server's close frame; null when the stream ended,
   * was reset or stayed silent for {@code timeoutMillis} without one.
   */
  Frame readUntilClose(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return null;
      }
      Frame frame;
      try {
        frame = readFrame(left);
      } catch (SocketTimeoutException e) {
        return null;
      } catch (EOFException e) {
        return null;
      } catch (IOException e) {
        return null; // reset
      }
      if (frame.opcode == OP_CLOSE) {
        return frame;
      }
    }
  }

  /** True once the server has closed the socket: the stream ends (or is reset) within the time. */
  boolean endOfStreamWithin(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) left);
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b < 0 && line.size() == 0) {
      throw new EOFException("connection closed during the handshake");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
