package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.PrometheusServer;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes /metrics of a HikariCP host under the agent every second; its own
 * HTTP API must give the pool's series the values the stream carried.
 */
class PrometheusScrapeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "prom-s3cret";
  private static final String POOL = "db_client_connection_pool_name=\"prom-pool\"";

  @Test
  void prometheusSeesWhatTheStreamCarries() throws Exception {
    int port = AgentProcess.freePort();
    int dashboard = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + dashboard
            + ",token=" + TOKEN + ",metrics.enabled=true,pool.interval=1s,autoscale.enabled=false",
        List.of(), AgentProcess.poolHostClasspath(), PoolLoadHost.class.getName(),
        TestDatabase.jdbcUrl(), "prom-pool", "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("Prometheus metrics on http://127\\.0\\.0\\.1:" + dashboard
          + "/metrics"), WAIT);
      host.awaitLine(Pattern.compile("found HikariCP pool prom-pool"), WAIT);
      String metricsUrl = "http://127.0.0.1:" + dashboard + "/metrics";
      assertEquals(401, get(metricsUrl, null).statusCode(), "the page's token rule holds for /metrics");
      assertEquals("HTTP/1.1 403 Forbidden", statusWithHost(dashboard, "rebound.example:" + dashboard),
          "the page's Host rule (loopback names only while on loopback) holds for /metrics");
      HttpResponse<String> scraped = get(metricsUrl, TOKEN);
      assertEquals(200, scraped.statusCode());
      assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
          scraped.headers().toString());
      assertTrue(scraped.body().contains("db_client_connection_max{" + POOL + "} 4"), scraped.body());

      try (PrometheusServer prometheus = PrometheusServer.scraping("127.0.0.1:" + dashboard, TOKEN);
          WsTestClient client = WsTestClient.connect("ws://127.0.0.1:" + port + "/?token=" + TOKEN, WAIT)) {
        client.send("{\"action\":\"subscribe\",\"channels\":[\"db_pool_stats\"]}");
        prometheus.awaitValue("up{job=\"pulse\"}", v -> v == 1, WAIT);

        send(commands, "mixed");
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);
        send(commands, "count");
        long executed = Long.parseLong(host.awaitLine(Pattern.compile("^statements \\d+$"), WAIT)
            .substring("statements ".length()));
        JsonNode stats = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && m.get("data").get("total_queries").asLong() == executed, WAIT).get("data");

        // per operation and collection; mixed's batch of two inserts is one operation
        assertEquals(executed - 1, (long) prometheus.awaitValue(
            "sum(db_client_operation_duration_seconds_count{" + POOL + "})",
            v -> v == executed - 1, WAIT));
        String inserts = POOL + ",db_system_name=\"postgresql\",db_operation_name=\"INSERT\","
            + "db_collection_name=\"host_t\"";
        assertEquals(2, (long) prometheus.awaitValue(
            "db_client_operation_duration_seconds_count{" + inserts + "}", v -> true, WAIT));
        assertEquals(1, (long) prometheus.awaitValue("db_client_operation_duration_seconds_count{"
            + POOL + ",db_operation_name=\"BATCH INSERT\",db_collection_name=\"host_t\"}",
            v -> true, WAIT));
        assertEquals(1, (long) prometheus.awaitValue("db_client_operation_duration_seconds_count{"
            + POOL + ",db_collection_name=\"no_such_table\",error_type=\"42\"}", v -> true, WAIT),
            "the failed select, with the class of its SQLState");
        assertEquals(10, (long) prometheus.awaitValue(
            "count(db_client_operation_duration_seconds_bucket{" + inserts + "})", v -> true, WAIT),
            "the nine advised boundaries and +Inf");
        assertEquals(2, (long) prometheus.awaitValue(
            "db_client_operation_duration_seconds_bucket{" + inserts + ",le=\"+Inf\"}", v -> true, WAIT));
        assertEquals(stats.get("failed_queries").asLong(), (long) prometheus.awaitValue(
            "pulse_db_client_operation_failures_total{" + POOL + "}",
            v -> v == stats.get("failed_queries").asLong(), WAIT));
        assertEquals(stats.get("maximum_pool_size").asInt(), (int) prometheus.awaitValue(
            "db_client_connection_max{" + POOL + "}", v -> true, WAIT));
        assertEquals(stats.get("minimum_idle").asInt(), (int) prometheus.awaitValue(
            "db_client_connection_idle_min{" + POOL + "}", v -> true, WAIT));
        assertEquals(stats.get("failed_acquisitions").asLong(), (long) prometheus.awaitValue(
            "db_client_connection_timeouts_total{" + POOL + "}", v -> true, WAIT));
        // every borrow lands in the wait histogram Prometheus holds
        String borrows = "db_client_connection_wait_time_seconds_count{" + POOL + "}";
        double before = prometheus.awaitValue(borrows, v -> v >= 1, WAIT);
        send(commands, "attempts 5");
        for (int i = 0; i < 5; i++) {
          host.stdout().remove(host.awaitLine(Pattern.compile("^attempt ok"), WAIT));
        }
        assertEquals(before + 5, prometheus.awaitValue(borrows, v -> v == before + 5, WAIT));
        // each of those borrows was given back: as many uses as borrows
        assertEquals(before + 5, prometheus.awaitValue(
            "db_client_connection_use_time_seconds_count{" + POOL + "}", v -> v == before + 5, WAIT));
        assertTrue(prometheus.awaitValue("db_client_connection_use_time_seconds_sum{" + POOL + "}",
            v -> v > 0, WAIT) > 0);
        // the attempts' "select 1" ran through execute(): no result set read, so no row count
        String selects = POOL + ",db_operation_name=\"SELECT\",db_collection_name=\"\",error_type=\"\"";
        assertEquals(6, (long) prometheus.awaitValue(
            "db_client_operation_duration_seconds_count{" + selects + "}", v -> v == 6, WAIT));
        assertEquals(1, (long) prometheus.awaitValue(
            "db_client_response_returned_rows_sum{" + selects + "}", v -> true, WAIT));
        assertEquals(1, (long) prometheus.awaitValue(
            "db_client_response_returned_rows_count{" + selects + "}", v -> true, WAIT));
        assertTrue(prometheus.awaitValue("db_client_connection_wait_time_seconds_sum{" + POOL + "}",
            v -> v > 0, WAIT) > 0);

        send(commands, "resize 7");
        JsonNode resized = client.await(m -> "pool_resized".equals(m.path("type").asText()), WAIT)
            .get("data");
        assertEquals(7, resized.get("new_size").asInt());
        assertEquals(7, (int) prometheus.awaitValue("db_client_connection_max{" + POOL + "}",
            v -> v == 7, WAIT));
        assertEquals(1, (int) prometheus.awaitValue("pulse_pool_resizes_total{" + POOL
            + ",pulse_pool_resize_direction=\"grow\"}", v -> v == 1, WAIT));

        // connections by state add up to the pool's size as the stream reports it, once settled
        JsonNode settled = client.await(m -> "pool_stats".equals(m.path("type").asText())
            && m.get("data").get("active_connections").asInt() == 0, WAIT).get("data");
        assertEquals(settled.get("pool_size").asInt(), (int) prometheus.awaitValue(
            "sum(db_client_connection_count{" + POOL + "})",
            v -> v == settled.get("pool_size").asInt(), WAIT));
        assertEquals(0, (int) prometheus.awaitValue(
            "db_client_connection_count{" + POOL + ",db_client_connection_state=\"used\"}",
            v -> v == 0, WAIT));
        JsonNode target = prometheus.query("target_info{job=\"pulse\"}");
        assertEquals(PoolLoadHost.class.getName(), target.get(0).path("metric").path("service_name").asText(),
            target.toString());
        assertEquals(Long.toString(host.pid()), target.get(0).path("metric").path("process_pid").asText());
      }
      send(commands, "quit");
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status line of GET /metrics with the token and this Host header (which HttpClient will not set). */
  private static String statusWithHost(int port, String hostHeader) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + hostHeader
          + "\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
    }
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }
}
