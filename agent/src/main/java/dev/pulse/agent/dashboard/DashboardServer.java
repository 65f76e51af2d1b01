package dev.pulse.agent.dashboard;

import dev.pulse.broadcaster.AccessRules;
import dev.pulse.broadcaster.BroadcasterConfig;
import dev.pulse.broadcaster.TlsContexts;
import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Serves the dashboard page from the agent jar, over https with the stream's keystore when the
 * stream has one. The page holds no data: it reads the stream, so it obeys the stream's rules. Its
 * Host must be a loopback name while it listens on loopback (against DNS rebinding), and with a
 * token set the page and its config answer 401 without it. The script and style are the same for
 * everyone and carry nothing, so they load without one.
 *
 * <p>No client can keep the page from others: each request must arrive whole within
 * {@link #REQUEST_TIMEOUT_MILLIS} and {@link #MAX_HEAD_BYTES}; at most {@link #MAX_PER_ADDRESS}
 * connections per address and {@link #MAX_OPEN} in all stay open (the oldest gives way,
 * {@link PageConnections}), each with a worker of its own. One request per connection; worker
 * threads exist only while there is work and a few seconds after.
 */
public final class DashboardServer {
  static final int MAX_OPEN = 32;
  static final int MAX_PER_ADDRESS = 8;
  static final int MAX_HEAD_BYTES = 8 * 1024;
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;

  private static final PulseLog LOG = PulseLog.forComponent("dashboard");
  private static final String RESOURCES = "/dev/pulse/agent/dashboard/";
  private static final Map<String, String> ASSETS = new LinkedHashMap<>();

  static {
    ASSETS.put("/dashboard.js", "text/javascript; charset=utf-8");
    ASSETS.put("/dashboard.css", "text/css; charset=utf-8");
  }

  private final ServerSocket server;
  private final boolean tls;
  private final boolean loopbackOnly;
  private final PageConnections connections = new PageConnections(MAX_OPEN, MAX_PER_ADDRESS);
  private final ThreadPoolExecutor workers;
  private volatile boolean stopped;
  private volatile MetricsPage metrics;

  private DashboardServer(ServerSocket server, boolean tls, boolean loopbackOnly) {
    this.server = server;
    this.tls = tls;
    this.loopbackOnly = loopbackOnly;
    AtomicInteger count = new AtomicInteger();
    // A worker for every connection admitted: none waits behind a slow one.
    this.workers = new ThreadPoolExecutor(MAX_OPEN, MAX_OPEN, 5, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "pulse-dashboard-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    workers.allowCoreThreadTimeOut(true);
  }

  /**
   * Binds the page's port now, on the stream's address and, with its keystore, for https, so the
   * stream can admit the page's origin; serves after {@link #serve}.
   */
  public static DashboardServer bind(BroadcasterConfig stream, int port) throws Exception {
    SSLContext context = stream.tls()
        ? TlsContexts.fromKeystore(stream.tlsKeystore(), stream.tlsPassword()) : null;
    ServerSocket server = context == null ? new ServerSocket()
        : context.getServerSocketFactory().createServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(stream.host(), port), 50);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    return new DashboardServer(server, context != null,
        AccessRules.isLoopbackAddress(stream.host()));
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The address really bound, as a URL (0.0.0.0 when every interface). */
  public String url() {
    InetAddress address = server.getInetAddress();
    String host = address.getHostAddress();
    return (tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + port() + "/";
  }

  /**
   * Starts serving. {@code streamScheme} and {@code streamPort} say where the page connects, on the
   * host name the browser used for the page.
   */
  public void serve(String streamScheme, int streamPort, AccessRules access) {
    Thread acceptor = new Thread(() -> accept(streamScheme, streamPort, access),
        "pulse-dashboard");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Serves {@code /metrics} (a Prometheus scrape) under the page's token and Host rules. */
  public void serveMetrics(MetricsPage page) {
    this.metrics = page;
  }

  /** Closes the port whether or not it was ever served: nothing stays bound that does not answer. */
  public void stop() {
    stopped = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
    connections.closeAll();
    workers.shutdownNow();
  }

  private void accept(String streamScheme, int streamPort, AccessRules access) {
    long quietUntil = 0;
    while (!stopped) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (stopped || server.isClosed()) {
          return;
        }
        // Out of descriptors, most likely: the port stays open and tries again shortly.
        if (System.nanoTime() - quietUntil > 0) {
          LOG.warn("dashboard: cannot accept a connection (" + e.getMessage() + "); trying again");
          quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        }
        pause();
        continue;
      }
      connections.add(socket);
      try {
        workers.execute(() -> serveOne(socket, streamScheme, streamPort, access));
      } catch (RuntimeException e) {
        closeQuietly(socket);
      }
    }
  }

  private void serveOne(Socket socket, String streamScheme, int streamPort, AccessRules access) {
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MILLIS);
      PageRequest request;
      try {
        request = PageRequest.read(socket, MAX_HEAD_BYTES, deadline);
      } catch (PageRequest.Refused e) {
        if (e.status() != 0) {
          send(socket, false, e.status(), "text/plain; charset=utf-8", e.getMessage() + "\n", null,
              null);
        }
        return;
      }
      handle(socket, request, streamScheme, streamPort, access);
    } catch (IOException | RuntimeException e) {
      LOG.debug("dashboard request failed", e);
    } finally {
      connections.remove(socket);
      closeQuietly(socket);
    }
  }

  private void handle(Socket socket, PageRequest request, String streamScheme, int streamPort,
      AccessRules access) throws IOException {
    boolean head = request.method.equals("HEAD");
    if (loopbackOnly && !AccessRules.isLoopbackHost(request.host)) {
      send(socket, head, 403, "text/plain; charset=utf-8",
          "host not allowed: the dashboard listens on loopback only\n", null, null);
      return;
    }
    if (!request.method.equals("GET") && !head) {
      send(socket, false, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", null,
          "Allow: GET, HEAD\r\n");
      return;
    }
    String path = request.path;
    if (ASSETS.containsKey(path)) {
      send(socket, head, 200, ASSETS.get(path), resource(path.substring(1)), null, null);
      return;
    }
    MetricsPage scrape = path.equals("/metrics") ? metrics : null;
    if (scrape == null && !path.equals("/") && !path.equals("/index.html")
        && !path.equals("/config.json")) {
      send(socket, head, 404, "text/plain; charset=utf-8", "not found\n", null, null);
      return;
    }
    if (!access.tokenAccepted(request.authorization,
        path + "?" + (request.query == null ? "" : request.query))) {
      send(socket, head, 401, "text/plain; charset=utf-8",
          "a token is required: open /?token=... with the agent's token\n", null, null);
      return;
    }
    if (scrape != null) {
      send(socket, head, 200, scrape.contentType(),
          new String(scrape.render(), StandardCharsets.UTF_8), null, null);
      return;
    }
    String streamUrl = streamScheme + "://" + hostOf(request.host) + ":" + streamPort + "/";
    if (path.equals("/config.json")) {
      send(socket, head, 200, "application/json", "{\"stream_url\":\"" + streamUrl
          + "\",\"token_required\":" + access.tokenRequired() + "}", streamUrl, null);
    } else {
      send(socket, head, 200, "text/html; charset=utf-8", resource("index.html"), streamUrl, null);
    }
  }

  /** The name the browser used for this machine; a Host header can only be a name and a port. */
  private static String hostOf(String hostHeader) {
    String name = AccessRules.hostName(hostHeader);
    return name.matches("[a-z0-9.\\-]+|\\[[0-9a-f:.]+]") ? name : "127.0.0.1";
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(Socket socket, boolean head, int status, String type, String body,
      String streamUrl, String extraHeaders) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String headers = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
        + "Content-Type: " + type + "\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + "Connection: close\r\n"
        + "Cache-Control: no-store\r\n"
        + "X-Content-Type-Options: nosniff\r\n"
        + "X-Frame-Options: DENY\r\n"
        + "Referrer-Policy: no-referrer\r\n"
        + "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';"
        + " img-src 'self'; connect-src 'self'" + (streamUrl == null ? "" : " " + streamUrl)
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n"
        + (extraHeaders == null ? "" : extraHeaders)
        + "\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.write(bytes);
    }
    out.flush();
  }

  private static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 431: return "Request Header Fields Too Large";
      default: return "Error";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // gone either way
    }
  }
}
