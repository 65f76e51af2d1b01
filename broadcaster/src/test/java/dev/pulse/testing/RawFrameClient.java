package dev.pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client written by hand on a plain socket, for what a library client will not do and
 * an attacker does: connect from any loopback address and never handshake, send any header
 * (a foreign Host) or any bytes (a frame's header without its payload, a message in fragments,
 * pings without ever reading), stop reading entirely (with a small receive buffer, so the
 * server's queue fills fast), and read exactly what the server answered: its status line, its
 * frames, its close frame's code and reason even after not reading for a while, or whether it
 * closed.
 */
public final class RawFrameClient implements AutoCloseable {
  public static final int OP_CONTINUATION = 0x0;
  public static final int OP_TEXT = 0x1;
  public static final int OP_CLOSE = 0x8;
  public static final int OP_PING = 0x9;
  public static final int OP_PONG = 0xA;

  /** One frame from the server. */
  public static final class Frame {
    public final boolean fin;
    public final int opcode;
    public final byte[] payload;

    Frame(boolean fin, int opcode, byte[] payload) {
      this.fin = fin;
      this.opcode = opcode;
      this.payload = payload;
    }

    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    public String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** The server's answer to the upgrade; null for a connection that did not ask for one. */
  private String statusLine;

  private RawFrameClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * A bare TCP connection from {@code from} (any 127.x.y.z), no handshake sent;
   * {@code receiveBuffer} is set before connecting.
   */
  public static RawFrameClient tcp(String from, int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return new RawFrameClient(socket);
  }

  /** Connects to 127.0.0.1:port and asks to upgrade at "/"; see {@link #upgraded()}. */
  public static RawFrameClient connect(int port, int receiveBuffer) throws IOException {
    return connect(port, "/", Map.of(), receiveBuffer);
  }

  /**
   * Connects to 127.0.0.1:port and asks to upgrade at {@code path} with the given headers (Host
   * defaults to 127.0.0.1:port); reads the whole response head, so frames start right after it.
   * Whether it was upgraded: {@link #upgraded()}, {@link #statusLine()}.
   */
  public static RawFrameClient connect(int port, String path, Map<String, String> headers,
      int receiveBuffer) throws IOException {
    RawFrameClient client = tcp("127.0.0.1", port, receiveBuffer);
    client.sendRaw(upgradeRequest(port, path, headers));
    client.statusLine = client.readLine();
    if (client.statusLine.isEmpty()) {
      throw new EOFException("connection closed during the handshake");
    }
    while (!client.readLine().isEmpty()) {
      // the rest of the response head
    }
    return client;
  }

  /**
   * The request that asks 127.0.0.1:port to upgrade at {@code path}, with the given headers (Host
   * defaults to 127.0.0.1:port): for clients that read the answer their own way.
   */
  public static byte[] upgradeRequest(int port, String path, Map<String, String> headers) {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
    if (!headers.containsKey("Host")) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ")
        .append(Base64.getEncoder().encodeToString("pulse-raw-key-01".getBytes(StandardCharsets.US_ASCII)))
        .append("\r\nSec-WebSocket-Version: 13\r\n\r\n");
    return request.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Connects and upgrades at {@code path}; throws when the server does not upgrade. */
  public static RawFrameClient upgrade(int port, String path, int receiveBuffer) throws IOException {
    RawFrameClient client = connect(port, path, Map.of(), receiveBuffer);
    if (!client.upgraded()) {
      client.close();
      throw new IOException("not upgraded: " + client.statusLine);
    }
    return client;
  }

  public boolean upgraded() {
    return statusLine != null && statusLine.startsWith("HTTP/1.1 101");
  }

  /** "HTTP/1.1 101 ..." when upgraded. */
  public String statusLine() {
    return statusLine;
  }

  /** A masked client frame; {@code announced} is the payload length its header claims. */
  public static byte[] frame(boolean fin, int opcode, byte[] payload, long announced) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (announced < 126) {
      frame.write(0x80 | (int) announced);
    } else if (announced < 65536) {
      frame.write(0x80 | 126);
      frame.write((int) (announced >>> 8));
      frame.write((int) (announced & 0xff));
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (announced >>> shift) & 0xff);
      }
    }
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  public static byte[] frame(boolean fin, int opcode, byte[] payload) {
    return frame(fin, opcode, payload, payload.length);
  }

  /** Sends one client frame (masked, as a client must). */
  public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    sendRaw(frame(fin, opcode, payload));
  }

  public void sendText(String text) throws IOException {
    sendFrame(true, OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Bytes as they are, framed or not: for hostile input. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A line of the server's answer (an HTTP status line or header), without its CR LF. */
  public String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** The next frame from the server; throws on timeout, EOFException at end of stream. */
  public Frame readFrame(long timeoutMillis) throws IOException {
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
  public Frame readUntilClose(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return null;
      }
      Frame frame;
      try {
        frame = readFrame(left);
      } catch (IOException e) {
        return null; // silent, ended or reset
      }
      if (frame.opcode == OP_CLOSE) {
        return frame;
      }
    }
  }

  /**
   * Reads frames until the server's close frame and returns its code; -1 when the connection ended
   * (or was reset) without one, 0 when nothing came within the time.
   */
  public int closeCode(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    try {
      while (true) {
        Frame frame = readFrame(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        if (frame.opcode == OP_CLOSE) {
          return frame.closeCode();
        }
      }
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    }
  }

  /** True once the server has closed the socket: the stream ends (or is reset) within the time. */
  public boolean endOfStreamWithin(long timeoutMillis) throws IOException {
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

  /** Resets the connection (RST), as a killed process or a dropped network would. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
