package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.agent.hosts.DescriptorHost;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.HostVitals;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the agent is exposed, each case as issue 12 found it, on hosts with a 128 MB heap: an
 * exposure without a token is loud and every address printed is the one bound; with TLS the page
 * is https too; no port stays bound that does not answer; settings that would leak or weaken the
 * token are refused unshown; tail cannot be made to drive a terminal; running out of file
 * descriptors does not take the stream's listener down.
 */
class HostileExposureIT {
  /** Hosts start slowly on a loaded machine (load averages over 30 were seen on 2 cores). */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exposedWithoutATokenTheAgentWarnsAndPrintsTheAddressesReallyBound() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("host=0.0.0.0,port=" + port + ",dashboard.port="
        + page + ",system.interval=1s", List.of("-Xmx128m"), AgentProcess.hostClasses(),
        SleepingHost.class.getName(), "180")) {
      host.awaitLine(Pattern.compile("warn broadcaster: the stream listens on 0.0.0.0, beyond this"
          + " machine, WITHOUT A TOKEN"), WAIT);
      host.awaitLine(Pattern.compile("streaming on ws://0.0.0.0:" + port + "/$"), WAIT);
      host.awaitLine(Pattern.compile("dashboard on http://0.0.0.0:" + page + "/$"), WAIT);
      assertEquals(0, host.count(Pattern.compile("on (ws|http)://127\\.0\\.0\\.1")), host.output());
      unharmed(host, "ws://127.0.0.1:" + port + "/", HttpClient.newHttpClient());
    }
  }

  @Test
  void withTlsThePageIsServedOverHttpsFromTheSameKeystore(@TempDir Path dir) throws Exception {
    Path keystore = keystore(dir);
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
        + ",token=t0ken,system.interval=1s,tls.keystore=" + keystore + ",tls.password=s3cret-pw",
        List.of("-Xmx128m"), AgentProcess.hostClasses(), SleepingHost.class.getName(), "180")) {
      host.awaitLine(Pattern.compile("dashboard on https://127.0.0.1:" + page + "/\\?token=\\.\\.\\.$"),
          WAIT);
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      HttpResponse<String> ok = trusting.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + page + "/?token=t0ken")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertTrue(ok.headers().firstValue("Content-Security-Policy").orElse("")
          .contains("wss://127.0.0.1:" + port + "/"), ok.headers().toString());
      HttpResponse<String> config = trusting.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + page + "/config.json?token=t0ken")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("wss://127.0.0.1:" + port + "/",
          JSON.readTree(config.body()).path("stream_url").asText());
      // the token never travels in clear: plain http gets no page
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest
          .newBuilder(URI.create("http://127.0.0.1:" + page + "/?token=t0ken"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
      unharmed(host, "wss://127.0.0.1:" + port + "/?token=t0ken", trusting);
      assertFalse(host.output().contains("s3cret-pw"), host.output());
    }
  }

  @Test
  void noPortStaysBoundThatDoesNotAnswer(@TempDir Path dir) throws Exception {
    Path keystore = keystore(dir);
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
        + ",tls.keystore=" + keystore + ",tls.password=wrong", List.of("-Xmx128m"),
        AgentProcess.hostClasses(), SleepingHost.class.getName(), "180")) {
      host.awaitLine(Pattern.compile("cannot load the TLS keystore"), WAIT);
      host.awaitLine(Pattern.compile("^host alive 3$"), WAIT);
      assertNotBound(port);
      assertNotBound(page);
    }
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int busy = taken.getLocalPort();
      try (AgentProcess host = AgentProcess.start("port=" + busy + ",dashboard.port=" + page,
          List.of("-Xmx128m"), AgentProcess.hostClasses(), SleepingHost.class.getName(), "180")) {
        host.awaitLine(Pattern.compile("cannot listen on 127.0.0.1:" + busy), WAIT);
        host.awaitLine(Pattern.compile("^host alive 3$"), WAIT);
        assertNotBound(page);
      }
    }
  }

  @Test
  void settingsThatWouldLeakOrWeakenTheTokenAreRefusedUnshown() throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",token=abc,tail=xyz",
        List.of("-Xmx128m"), AgentProcess.hostClasses(), SleepingHost.class.getName(), "180")) {
      host.awaitLine(Pattern.compile("setting token in the -javaagent arguments is refused"), WAIT);
      host.awaitLine(Pattern.compile("the WebSocket stream is off"), WAIT);
      host.awaitLine(Pattern.compile("^host alive 3$"), WAIT);
      for (String secret : List.of("abc", "xyz", "tail")) {
        assertFalse(String.join("\n", host.stderr()).contains(secret), host.output());
      }
      assertNotBound(port);
    }
    try (AgentProcess host = AgentProcess.start("hunter2,port=" + port
        + ",system.interval=1s,dashboard.enabled=false",
        List.of("-Xmx128m"), AgentProcess.hostClasses(), SleepingHost.class.getName(), "180")) {
      host.awaitLine(Pattern.compile("agent argument 1 \\(7 characters, not shown"), WAIT);
      assertFalse(host.output().contains("hunter2"), host.output());
      unharmed(host, "ws://127.0.0.1:" + port + "/", HttpClient.newHttpClient());
    }
  }

  @Test
  void tailEscapesControlCharactersWhileItsJsonStaysExact() throws Exception {
    int port = AgentProcess.freePort();
    String url = "ws://127.0.0.1:" + port + "/";
    String table = "t\u001b[31mred\u0007\u009b2J";
    try (AgentProcess readable = AgentProcess.agentCommand("tail", url, "--channel",
        "error_firewall");
        AgentProcess json = AgentProcess.agentCommand("tail", url, "--json", "--channel",
            "error_firewall");
        AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port="
            + AgentProcess.freePort() + ",autoscale.enabled=false,system.interval=1s",
            List.of("-Xmx128m"), AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(),
            TestDatabase.jdbcUrl(), "tail-escapes", "2");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      readable.awaitLine(Pattern.compile("connected to"), WAIT);
      json.awaitLine(Pattern.compile("connected to"), WAIT);
      commands.write("missing " + table + "\n");
      commands.flush();
      host.awaitLine(Pattern.compile("^missing done$"), WAIT);
      String line = readable.awaitLine(Pattern.compile("error_intercepted"), WAIT);
      assertTrue(line.contains("t\\u001b[31mred\\u0007\\u009b2J"), line);
      assertTrue(line.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0)), line);
      JsonNode message = JSON.readTree(json.awaitLine(Pattern.compile("error_intercepted"), WAIT));
      assertTrue(message.path("data").path("message").asText().contains(table),
          message.toString());
      unharmed(host, url, HttpClient.newHttpClient());
    }
  }

  @Test
  void runningOutOfFileDescriptorsDoesNotTakeTheListenerDown() throws Exception {
    descriptorsRunOut("exhaust", port -> {
      for (int i = 0; i < 20; i++) { // each accepted with the reserve, then closed
        try (Socket client = new Socket("127.0.0.1", port)) {
          client.setSoTimeout(5000);
          assertEquals(-1, client.getInputStream().read(), "closed: no descriptor to serve it");
        } catch (IOException reset) {
          // closed as well
        }
      }
    }, "out of file descriptors");
  }

  /**
   * A host thread takes every descriptor the process frees, so the one the listener frees for its
   * accept is gone before the accept: Java-WebSocket would close its listener for good there.
   */
  @Test
  void aHostTakingEveryFreedDescriptorDoesNotTakeTheListenerDown() throws Exception {
    descriptorsRunOut("hoard", port -> {
      for (int i = 0; i < 5; i++) { // closed, or left waiting in the backlog
        try (Socket client = new Socket("127.0.0.1", port)) {
          client.setSoTimeout(1000);
          client.getInputStream().read();
        } catch (IOException closedOrWaiting) {
          // either is fine while the host holds every descriptor
        }
      }
    }, "out of file descriptors|accept failed");
  }

  /** What clients do on the stream's port while the host holds every descriptor. */
  private interface Meanwhile {
    void connect(int port) throws Exception;
  }

  /**
   * A host under {@code ulimit -n 256} is told to run out of descriptors ({@link DescriptorHost}'s
   * {@code command}), clients connect meanwhile, then it lets go: the listener never ended, a
   * witness has every event in order, a new client is welcomed, a refusal was logged for one of
   * {@code refusals}, and the host's descriptors, threads and memory come back.
   */
  private static void descriptorsRunOut(String command, Meanwhile meanwhile, String refusals)
      throws Exception {
    int port = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.startWithFileLimit(256, "port=" + port
        + ",token=t0ken,system.interval=1s,dashboard.enabled=false", List.of("-Xmx128m"),
        AgentProcess.hostClasses(), DescriptorHost.class.getName());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("streaming on"), WAIT);
      String url = "ws://127.0.0.1:" + port + "/?token=t0ken";
      try (WsTestClient witness = WsTestClient.connect(url, WAIT)) {
        witness.awaitType("welcome", WAIT);
        HostVitals before = HostVitals.of(host.pid());
        commands.write(command + "\n");
        commands.flush();
        host.awaitLine(Pattern.compile("^(exhausted|hoarding) \\d+$"), WAIT);
        meanwhile.connect(port);
        commands.write("release\n");
        commands.flush();
        host.awaitLine(Pattern.compile("^released$"), WAIT);
        try (WsTestClient fresh = WsTestClient.connect(url, WAIT)) {
          fresh.awaitType("welcome", WAIT);
        } catch (AssertionError e) {
          throw new AssertionError("no new client after the release; host output:\n"
              + host.output(), e);
        }
        witness.assertEveryEventInOrder(WAIT);
        host.awaitLine(Pattern.compile("refused a connection \\((" + refusals + ")\\)"), WAIT);
        assertEquals(0, host.count(Pattern.compile("listener .* ended")), host.output());
        HostVitals.awaitBack(host.pid(), before, 8 * 1024, 2, WAIT);
      }
    }
  }

  /** The host lives on, a witness gets every event in order, a new client its welcome. */
  private static void unharmed(AgentProcess host, String url, HttpClient http) throws Exception {
    host.awaitLine(Pattern.compile("streaming on"), WAIT);
    try (WsTestClient witness = WsTestClient.connect(url, http, WAIT)) {
      witness.awaitType("welcome", WAIT);
      HostVitals before = HostVitals.of(host.pid());
      Thread.sleep(2500); // a few events
      witness.assertEveryEventInOrder(WAIT);
      try (WsTestClient fresh = WsTestClient.connect(url, http, WAIT)) {
        fresh.awaitType("welcome", WAIT);
      }
      HostVitals.awaitBack(host.pid(), before, 8 * 1024, 2, WAIT);
    }
    assertTrue(host.stdout().stream().anyMatch(line -> line.startsWith("host alive"))
        || host.stdout().contains("host ready"));
  }

  private static void assertNotBound(int port) {
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
        "port " + port + " is bound");
  }

  private static Path keystore(Path dir) throws Exception {
    Path keystore = dir.resolve("pulse.p12");
    Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin",
        "keytool").toString(), "-genkeypair", "-alias", "pulse", "-keyalg", "RSA", "-keysize",
        "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "s3cret-pw",
        "-keypass", "s3cret-pw").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, keytool.waitFor(), output);
    return keystore;
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "s3cret-pw".toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
