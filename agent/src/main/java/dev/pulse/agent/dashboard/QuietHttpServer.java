package dev.pulse.agent.dashboard;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.log.PulseLog;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The JDK's {@link HttpServer} API on a thread that blocks in {@code accept} until a browser
 * connects: the JDK's own server wakes its dispatcher every second and a timer every ten, with
 * nobody asking for anything. Enough HTTP/1.1 for a few static resources: one request per
 * connection (the response closes it), GET and HEAD without a body, the request's head bounded in
 * size and time. Each connection's head is read on a short-lived thread of its own (at most
 * {@value #MAX_CONNECTIONS} at once), so that a connection a browser opens ahead and leaves
 * silent delays nobody; the handler runs on the executor given, or on that thread.
 */
final class QuietHttpServer extends HttpServer {
  private static final PulseLog LOG = PulseLog.forComponent("dashboard");
  private static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  private static final int MAX_CONNECTIONS = 16;

  private final ServerSocket socket;
  private final Map<String, Context> contexts = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger connections =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile Executor executor;
  private Thread acceptor;

  private QuietHttpServer(ServerSocket socket) {
    this.socket = socket;
  }

  static QuietHttpServer listen(InetSocketAddress address, int backlog) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address, backlog);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new QuietHttpServer(socket);
  }

  @Override
  public void bind(InetSocketAddress address, int backlog) {
    throw new UnsupportedOperationException("bound by listen");
  }

  @Override
  public synchronized void start() {
    acceptor = new Thread(this::accept, "pulse-dashboard-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          LOG.debug("dashboard accept failed", e);
        }
        continue;
      }
      if (connections.incrementAndGet() > MAX_CONNECTIONS) {
        connections.decrementAndGet();
        closeQuietly(connection);
        continue;
      }
      Thread reader = new Thread(() -> read(connection), "pulse-dashboard-request");
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void read(Socket connection) {
    try {
      connection.setSoTimeout(READ_TIMEOUT_MILLIS);
      Request request = Request.read(new java.io.BufferedInputStream(connection.getInputStream()));
      OutputStream out = new BufferedOutputStream(connection.getOutputStream());
      if (request == null) {
        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        finish(connection);
        return;
      }
      Exchange exchange = new Exchange(connection, request, contextFor(request.uri.getPath()), out);
      Executor handlers = executor;
      if (handlers == null) {
        handle(exchange);
      } else {
        handlers.execute(() -> handle(exchange));
      }
    } catch (IOException | RuntimeException e) { // a stopped executor too
      LOG.debug("dashboard request failed", e);
      finish(connection);
    }
  }

  private void handle(Exchange exchange) {
    try {
      if (exchange.context == null || exchange.context.handler == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.context.handler.handle(exchange);
      }
      exchange.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("dashboard request failed", e);
    } finally {
      finish(exchange.connection);
    }
  }

  private void finish(Socket connection) {
    closeQuietly(connection);
    connections.decrementAndGet();
  }

  private synchronized Context contextFor(String path) {
    Context best = null;
    for (Context context : contexts.values()) {
      if (path != null && path.startsWith(context.path)
          && (best == null || context.path.length() > best.path.length())) {
        best = context;
      }
    }
    return best;
  }

  @Override
  public void setExecutor(Executor value) {
    this.executor = value;
  }

  @Override
  public Executor getExecutor() {
    return executor;
  }

  @Override
  public void stop(int delaySeconds) {
    closeQuietly(socket);
  }

  @Override
  public synchronized HttpContext createContext(String path, HttpHandler handler) {
    Context context = new Context(path, handler);
    contexts.put(path, context);
    return context;
  }

  @Override
  public HttpContext createContext(String path) {
    return createContext(path, null);
  }

  @Override
  public synchronized void removeContext(String path) {
    if (contexts.remove(path) == null) {
      throw new IllegalArgumentException("no context " + path);
    }
  }

  @Override
  public void removeContext(HttpContext context) {
    removeContext(context.getPath());
  }

  @Override
  public InetSocketAddress getAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** A request's head: method, target and headers; its body, if any, is never read. */
  private static final class Request {
    final String method;
    final URI uri;
    final String protocol;
    final Headers headers = new Headers();

    private Request(String method, URI uri, String protocol) {
      this.method = method;
      this.uri = uri;
      this.protocol = protocol;
    }

    /** Null when the head is malformed or too long. */
    static Request read(InputStream in) throws IOException {
      List<String> lines = new ArrayList<>();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int total = 0;
      int b;
      while ((b = in.read()) >= 0) {
        if (++total > MAX_HEAD_BYTES) {
          return null;
        }
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
          if (text.isEmpty()) {
            return lines.isEmpty() ? null : parse(lines);
          }
          lines.add(text);
          line.reset();
        } else {
          line.write(b);
        }
      }
      return null;
    }

    private static Request parse(List<String> lines) {
      String[] start = lines.get(0).split(" ");
      if (start.length != 3 || !start[2].startsWith("HTTP/")) {
        return null;
      }
      Request request;
      try {
        request = new Request(start[0], new URI(start[1]), start[2]);
      } catch (URISyntaxException e) {
        return null;
      }
      for (String header : lines.subList(1, lines.size())) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          return null;
        }
        request.headers.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
      }
      return request;
    }
  }

  private final class Context extends HttpContext {
    final String path;
    HttpHandler handler;
    final Map<String, Object> attributes = new HashMap<>();
    Authenticator authenticator;

    Context(String path, HttpHandler handler) {
      this.path = path;
      this.handler = handler;
    }

    @Override
    public HttpHandler getHandler() {
      return handler;
    }

    @Override
    public void setHandler(HttpHandler value) {
      this.handler = value;
    }

    @Override
    public String getPath() {
      return path;
    }

    @Override
    public HttpServer getServer() {
      return QuietHttpServer.this;
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public List<Filter> getFilters() {
      return new ArrayList<>(); // filters are not run
    }

    @Override
    public Authenticator setAuthenticator(Authenticator value) {
      Authenticator previous = authenticator;
      authenticator = value;
      return previous;
    }

    @Override
    public Authenticator getAuthenticator() {
      return authenticator;
    }
  }

  private static final class Exchange extends HttpExchange {
    private final Socket connection;
    private final Request request;
    private final Context context;
    private final OutputStream out;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private int responseCode = -1;

    Exchange(Socket connection, Request request, Context context, OutputStream out) {
      this.connection = connection;
      this.request = request;
      this.context = context;
      this.out = out;
    }

    @Override
    public Headers getRequestHeaders() {
      return request.headers;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return request.uri;
    }

    @Override
    public String getRequestMethod() {
      return request.method;
    }

    @Override
    public HttpContext getHttpContext() {
      return context;
    }

    /** Flushes the response; the connection closes after it. */
    @Override
    public void close() {
      try {
        if (responseCode < 0) {
          sendResponseHeaders(500, -1);
        }
        out.flush();
      } catch (IOException e) {
        // the browser went away
      }
    }

    @Override
    public InputStream getRequestBody() {
      return InputStream.nullInputStream();
    }

    /** The body, written straight to the connection; closing it does not close the connection. */
    @Override
    public OutputStream getResponseBody() {
      return new java.io.FilterOutputStream(out) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
    }

    /** {@code length}: the body's size, 0 for a body of unknown size, -1 for none. */
    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (responseCode >= 0) {
        throw new IOException("headers already sent");
      }
      responseCode = code;
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(' ')
          .append(reason(code)).append("\r\n");
      if (length > 0) {
        head.append("Content-Length: ").append(length).append("\r\n");
      } else if (length < 0 && !"HEAD".equals(request.method)) {
        head.append("Content-Length: 0\r\n");
      }
      head.append("Connection: close\r\n");
      for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
        for (String value : header.getValue()) {
          head.append(header.getKey()).append(": ").append(value).append("\r\n");
        }
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int code) {
      switch (code) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 500: return "Internal Server Error";
        default: return "Status";
      }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return (InetSocketAddress) connection.getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
      return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return (InetSocketAddress) connection.getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
      return request.protocol;
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
      throw new UnsupportedOperationException("filters are not run");
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
