package dev.pulse.agent.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.broadcaster.AccessRules;
import dev.pulse.log.PulseLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the dashboard page from the agent jar through the JDK's HTTP server API, on a daemon
 * thread of its own (on a server that sleeps until a browser connects: {@link QuietHttpServer}). The page holds no data: it reads the stream, so it obeys the stream's rules. Its Host
 * must be a loopback name while it listens on loopback (against DNS rebinding), and with a token
 * set the page and its config answer 401 without it. The script and style are the same for
 * everyone and carry nothing, so they load without one.
 */
public final class DashboardServer {
  private static final PulseLog LOG = PulseLog.forComponent("dashboard");
  private static final String RESOURCES = "/dev/pulse/agent/dashboard/";
  private static final Map<String, String> ASSETS = new LinkedHashMap<>();

  static {
    ASSETS.put("/dashboard.js", "text/javascript; charset=utf-8");
    ASSETS.put("/dashboard.css", "text/css; charset=utf-8");
  }

  private final HttpServer server;
  private final boolean loopbackOnly;
  private final ExecutorService executor;

  private DashboardServer(HttpServer server, boolean loopbackOnly) {
    this.server = server;
    this.loopbackOnly = loopbackOnly;
    this.executor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "pulse-dashboard");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Binds the port now, so the stream can admit the page's origin; serves after {@link #serve}. */
  public static DashboardServer bind(String host, int port) throws IOException {
    HttpServer server = QuietHttpServer.listen(new InetSocketAddress(host, port), 16);
    return new DashboardServer(server, AccessRules.isLoopbackAddress(host));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Starts serving. {@code streamScheme} and {@code streamPort} say where the page connects, on the
   * host name the browser used for the page.
   */
  public void serve(String streamScheme, int streamPort, AccessRules access) {
    server.createContext("/", exchange -> {
      try {
        handle(exchange, streamScheme, streamPort, access);
      } catch (RuntimeException | IOException e) {
        LOG.debug("dashboard request failed", e);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange, String streamScheme, int streamPort,
      AccessRules access) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (loopbackOnly && !AccessRules.isLoopbackHost(host)) {
      send(exchange, 403, "text/plain; charset=utf-8",
          "host not allowed: the dashboard listens on loopback only\n", null);
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", null);
      return;
    }
    if (ASSETS.containsKey(path)) {
      send(exchange, 200, ASSETS.get(path), resource(path.substring(1)), null);
      return;
    }
    if (!path.equals("/") && !path.equals("/index.html") && !path.equals("/config.json")) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n", null);
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (!access.tokenAccepted(authorization, exchange.getRequestURI().getRawPath() + "?"
        + (exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery()))) {
      send(exchange, 401, "text/plain; charset=utf-8",
          "a token is required: open /?token=... with the agent's token\n", null);
      return;
    }
    String streamUrl = streamScheme + "://" + hostOf(host) + ":" + streamPort + "/";
    if (path.equals("/config.json")) {
      send(exchange, 200, "application/json", "{\"stream_url\":\"" + streamUrl
          + "\",\"token_required\":" + access.tokenRequired() + "}", streamUrl);
    } else {
      send(exchange, 200, "text/html; charset=utf-8", resource("index.html"), streamUrl);
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

  private static void send(HttpExchange exchange, int status, String type, String body,
      String streamUrl) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src"
        + " 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"
        + (streamUrl == null ? "" : " " + streamUrl) + "; base-uri 'none'; form-action 'none';"
        + " frame-ancestors 'none'");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
