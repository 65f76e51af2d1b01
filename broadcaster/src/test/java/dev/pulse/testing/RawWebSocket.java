package dev.pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket handshake written by hand on a plain socket: for what a library client will not do,
 * such as sending any Host header, or connecting and then never reading a byte.
 */
public final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final String statusLine;

  private RawWebSocket(Socket socket, String statusLine) {
    this.socket = socket;
    this.statusLine = statusLine;
  }

  /**
   * Connects and upgrades with the given headers (Host defaults to 127.0.0.1:port). A small
   * receive buffer makes a client that never reads fill up fast.
   */
  public static RawWebSocket connect(int port, Map<String, String> headers, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\n");
    if (!headers.containsKey("Host")) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ")
        .append(Base64.getEncoder().encodeToString("pulse-test-key-1".getBytes(StandardCharsets.US_ASCII)))
        .append("\r\nSec-WebSocket-Version: 13\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new RawWebSocket(socket, readLine(socket.getInputStream()));
  }

  /** "HTTP/1.1 101 ..." when upgraded. */
  public String statusLine() {
    return statusLine;
  }

  public boolean upgraded() {
    return statusLine.startsWith("HTTP/1.1 101");
  }

  /** True once the server has closed the socket (reads until end of stream or timeout). */
  public boolean closedByServer(long timeoutMillis) throws IOException {
    socket.setSoTimeout((int) timeoutMillis);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        // drain: the close is what we wait for
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
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
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
