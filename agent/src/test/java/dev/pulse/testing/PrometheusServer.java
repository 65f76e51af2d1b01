package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's package) scraping one target every second, with its own
 * config and data folder in a temporary directory and its web API on a loopback port. Stopped and
 * its folder deleted on close.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final Path BINARY = Paths.get(System.getProperty("pulse.prometheus",
      "/usr/bin/prometheus"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;
  private final Process process;
  private final int webPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Path folder, Process process, int webPort) {
    this.folder = folder;
    this.process = process;
    this.webPort = webPort;
  }

  /** Scrapes {@code target}'s /metrics (host:port) every second, with a bearer token if not null. */
  public static PrometheusServer scraping(String target, String token) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: run `bash scripts/test.sh`, which"
          + " installs Debian's prometheus package, or apt-get install prometheus");
    }
    Path folder = Files.createTempDirectory("pulse-prometheus");
    Path config = folder.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: pulse\n    scrape_interval: 1s\n    scrape_timeout: 1s\n"
        + (token == null ? "" : "    authorization:\n      credentials: " + token + "\n")
        + "    static_configs:\n      - targets: ['" + target + "']\n");
    int webPort = AgentProcess.freePort();
    Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + folder.resolve("data"),
        "--web.listen-address=127.0.0.1:" + webPort, "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(folder.resolve("prometheus.log").toFile())
        .start();
    return new PrometheusServer(folder, process, webPort);
  }

  /** The result vector of an instant query, as Prometheus' HTTP API returns it (empty on error). */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort
        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      return body.path("data").path("result");
    } catch (IOException notUpYet) {
      return JSON.createArrayNode();
    }
  }

  /**
   * Waits until the query's first series has a value matching {@code accept}; returns the value.
   * Fails with the last answer and Prometheus' log.
   */
  public double awaitValue(String promql, Predicate<Double> accept, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (true) {
      last = query(promql);
      if (last.size() > 0) {
        double value = Double.parseDouble(last.get(0).path("value").get(1).asText());
        if (accept.test(value)) {
          return value;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Prometheus: " + promql + " never as expected within " + timeout
            + "; last answer " + last + "\n" + log());
      }
      Thread.sleep(250);
    }
  }

  public String log() throws IOException {
    Path log = folder.resolve("prometheus.log");
    return Files.exists(log) ? String.join("\n", Files.readAllLines(log)) : "";
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }
}
