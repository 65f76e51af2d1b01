package dev.pulse.agent.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP request head, read with a size limit and a deadline for the whole of it (a client that
 * sends a byte every few seconds still runs out of time), in time linear in its size.
 */
final class PageRequest {
  /** A request head that cannot be read: the status to answer with, or 0 to just close. */
  static final class Refused extends Exception {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  final String method;
  final String path;
  /** The raw query, or null. */
  final String query;
  final String host;
  final String authorization;

  private PageRequest(String method, String path, String query, String host,
      String authorization) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.host = host;
    this.authorization = authorization;
  }

  static PageRequest read(Socket socket, int maxBytes, long deadlineNanos) throws IOException,
      Refused {
    byte[] head = new byte[maxBytes];
    int length = 0;
    int matched = 0; // bytes of "\r\n\r\n" seen at the end so far
    InputStream in = socket.getInputStream();
    while (matched < 4) {
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new Refused(0, "request not complete in time");
      }
      if (length == maxBytes) {
        throw new Refused(431, "request head over " + maxBytes + " bytes");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
      int read;
      try {
        read = in.read(head, length, maxBytes - length);
      } catch (SocketTimeoutException e) {
        throw new Refused(0, "request not complete in time");
      }
      if (read < 0) {
        throw new Refused(0, "closed before the end of its request");
      }
      for (int i = length; i < length + read && matched < 4; i++) {
        byte b = head[i];
        boolean expected = b == (matched % 2 == 0 ? '\r' : '\n');
        matched = expected ? matched + 1 : b == '\r' ? 1 : 0;
      }
      length += read;
    }
    return parse(new String(head, 0, length, StandardCharsets.ISO_8859_1));
  }

  private static PageRequest parse(String head) throws Refused {
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new Refused(400, "not an HTTP/1.x request line");
    }
    URI target;
    try {
      target = new URI(requestLine[1]);
    } catch (java.net.URISyntaxException e) {
      throw new Refused(400, "bad request target");
    }
    String host = null;
    String authorization = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("host") && host == null) {
        host = value;
      } else if (name.equals("authorization") && authorization == null) {
        authorization = value;
      }
    }
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/"
        : target.getPath();
    return new PageRequest(requestLine[0], path, target.getRawQuery(), host, authorization);
  }
}
