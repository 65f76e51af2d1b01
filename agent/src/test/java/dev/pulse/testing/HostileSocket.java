package dev.pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client written by hand on a plain socket, for what an attacker does and a library will not:
 * send anything (any header, any size, a frame's header without its payload, pings without ever
 * reading), from any loopback address, and read exactly what the server answered or whether it
 * closed.
 */
public final class HostileSocket implements AutoCloseable {
  public static final int OP_CONTINUATION = 0x0;
  public static final int OP_TEXT = 0x1;
  public static final int OP_CLOSE = 0x8;
  public static final int OP_PING = 0x9;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private HostileSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** A TCP connection from {@code from} (any 127.x.y.z) with the given receive buffer. */
  public static HostileSocket connect(String from, int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return new HostileSocket(socket);
  }

  /** Connects and upgrades to WebSocket at {@code path}; returns null when not upgraded. */
  public static HostileSocket upgrade(int port, String path, int receiveBuffer) throws IOException {
    HostileSocket client = connect("127.0.0.1", port, receiveBuffer);
    client.send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: cHVsc2UtaG9zdGlsZS0xMg==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String status = client.readLine();
    while (!client.readLine().isEmpty()) {
      // the rest of the response head
    }
    if (!status.startsWith("HTTP/1.1 101")) {
      client.close();
      throw new IOException("not upgraded: " + status);
    }
    return client;
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A masked client frame; {@code announced} is the payload length the header claims. */
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
    byte[] mask = {0x1b, 0x2c, 0x3d, 0x4e};
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  public static byte[] frame(boolean fin, int opcode, byte[] payload) {
    return frame(fin, opcode, payload, payload.length);
  }

  /** A line of the server's answer (an HTTP status line), without its CR LF. */
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

  /**
   * Reads frames until the server's close frame and returns its code; -1 when the connection ended
   * (or was reset) without one, 0 when nothing came within the time.
   */
  public int closeCode(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    try {
      while (true) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if ((b0 & 0x0f) == OP_CLOSE) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    }
  }

  /** True once the server closed or reset the connection (everything before is discarded). */
  public boolean endedWithin(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    byte[] buffer = new byte[16 * 1024];
    InputStream stream = socket.getInputStream();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) left);
      try {
        if (stream.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
