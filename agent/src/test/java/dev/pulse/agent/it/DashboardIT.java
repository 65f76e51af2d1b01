package dev.pulse.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.agent.hosts.PoolLoadHost;
import dev.pulse.agent.hosts.QueryHost;
import dev.pulse.agent.hosts.SleepingHost;
import dev.pulse.agent.hosts.VectorHost;
import dev.pulse.testing.AgentProcess;
import dev.pulse.testing.HeadlessChromium;
import dev.pulse.testing.TestDatabase;
import dev.pulse.testing.WsTestClient;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard page in real headless Chromium against an application under the agent. */
class DashboardIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FAST = "pool.interval=1s,system.interval=1s,alert.interval=500ms,"
      + "autoscale.interval=250ms,autoscale.grow.after=2,autoscale.cooldown=1s,autoscale.warmup=0s,"
      + "firewall.window=2s";

  @Test
  void thePageDrawsPoolsResizesErrorsAndSystemFiguresLiveAndResumesAfterADrop() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    String classpath = AgentProcess.poolHostClasspath();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page + ","
        + FAST, List.of(), classpath, PoolLoadHost.class.getName(), TestDatabase.jdbcUrl(), "dash",
        "4");
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("dashboard on http://127.0.0.1:" + page + "/$"), WAIT);
      host.awaitLine(Pattern.compile("found HikariCP pool dash"), WAIT);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        browser.get("http://127.0.0.1:" + page + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> "open".equals(b.findElement(By.id("status")).getAttribute("data-state")));
        commands.write("load 8 4000 50\nmixed\n");
        commands.flush();

        // the page redraws its lists: read them in one script, not through held elements
        // the first growth, wherever it is in the list (a busy machine may have grown again by now)
        String resize = wait.until(b -> {
          String all = allText(b, "[data-pool='dash'] .resizes li[data-reason]");
          return all != null && all.matches("(?s).*4 → \\d+ +high load.*") ? all : null;
        });
        assertTrue(resize.matches("(?s).*4 → \\d+ +high load.*"), resize);
        // the statement's failure, wherever it is (a busy machine may also time borrows out)
        String error = wait.until(b -> {
          String all = allText(b, "#error-table tr[data-error-id]");
          return all != null && all.contains("undefined_table") ? all : null;
        });
        assertTrue(error.contains("undefined_table"), error);
        String solution = text(browser, "#error-table tr[data-error-id] td.solution");
        assertTrue(solution.length() > 20, "a solution: " + solution);
        wait.until(b -> first(b, "#system-figures [data-figure='statements']"));
        host.awaitLine(Pattern.compile("^mixed done$"), WAIT);

        WebElement connections = browser.findElement(
            By.cssSelector("[data-pool='dash'] canvas[data-chart='connections']"));
        wait.until(b -> Integer.parseInt(connections.getAttribute("data-points")) >= 8);
        assertTrue(Integer.parseInt(connections.getAttribute("data-markers")) >= 1);
        long painted = painted(browser, connections);
        assertTrue(painted > 2000, "pixels drawn on the connections chart: " + painted);
        Files.write(Paths.get("target/dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));

        long before = (Long) browser.executeScript("return pulse.received();");
        browser.executeScript("pulse.drop();");
        commands.write("mixed\n");
        commands.flush();
        wait.until(b -> (Long) browser.executeScript("return pulse.received();") > before + 3
            && "open".equals(b.findElement(By.id("status")).getAttribute("data-state")));
        assertEquals(0L, browser.executeScript("return pulse.missing();"), "no seq missed");
      } finally {
        browser.quit();
      }
      commands.write("quit\n");
      commands.flush();
      assertEquals(0, host.awaitExit(WAIT), host.output());
    }
  }

  @Test
  void theVectorTableShowsTheCollectionKEfSearchAndTheMeasuredRecall() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
            + ",autoscale.enabled=false,vector.recall.rate=1", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = streamOf(host, port, page)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "clustered 2000");
      host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        browser.get("http://127.0.0.1:" + page + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        String table = "#vector-table tr[data-collection='" + VectorHost.RECALL_TABLE + "'] td";
        // paced so that the searches are sampled; then one at a time, each event read as it
        // comes, until the latest carries an estimate: the one the page must show
        send(commands, "searchmany 40 10 1 40");
        host.awaitLine(Pattern.compile("^searched 10$"), WAIT);
        for (int i = 0; i < 10; i++) {
          client.await(m -> "search_completed".equals(m.path("type").asText()), WAIT);
        }
        JsonNode found = null;
        int searches = 10;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (found == null && System.nanoTime() < deadline) {
          send(commands, "searchmany 40 1 1");
          searches++;
          JsonNode event = client.await(m -> "search_completed".equals(m.path("type").asText()),
              WAIT).get("data");
          found = event.get("recall_estimated").isNumber() ? event : null;
          Thread.sleep(200);
        }
        assertTrue(found != null, "no recall estimate: " + host.output());
        JsonNode estimated = found;
        String all = String.valueOf(searches);
        List<String> cells = wait.withMessage(() -> "the row shows " + texts(browser, table)
            + " after " + all + " searches, the last " + estimated)
            .until(b -> {
              List<String> shown = texts(b, table);
              return shown.size() == 12 && shown.get(1).equals(all) ? shown : null;
            });
        assertTrue(cells.get(8).endsWith(" %"), "recall: " + cells);
        assertEquals(estimated.get("recall_estimated").asDouble() * 100,
            Double.parseDouble(cells.get(8).replace(" %", "")), 0.051, "recall: " + cells);
        assertEquals("10", cells.get(4), "k: " + cells);
        assertEquals("40", cells.get(5), "ef_search: " + cells);
        assertEquals("10", cells.get(7), "rows: " + cells);
        assertEquals(estimated.get("recall_samples").asText(), cells.get(9), "samples: " + cells);
        WebElement chart = browser.findElement(By.id("vector-chart"));
        assertTrue(painted(browser, chart) > 500, "the latency chart draws");
        Files.write(Paths.get("target/dashboard-vectors.png"),
            browser.getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
      send(commands, "quit");
    }
  }

  @Test
  void aboveTheEventRateTheVectorTableCountsEverySearchAndDrawsTheExactPercentiles()
      throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
            + ",autoscale.enabled=false,vector.events.rate=5,pool.interval=1s", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = streamOf(host, port, page)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "clustered 500");
      host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
      int searches = 600; // back to back: far above 5 a second, so most have no event
      send(commands, "searchmany 40 " + searches + " 1 0");
      host.awaitLine(Pattern.compile("^searched " + searches + "$"), WAIT);
      client.await(m -> "vector_stats".equals(m.path("type").asText())
          && m.get("data").get("searches_total").asInt() == searches, WAIT);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        // opened afterwards: the exact total comes from the collection's vector_stats state
        browser.get("http://127.0.0.1:" + page + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        String row = "#vector-table tr[data-collection='" + VectorHost.RECALL_TABLE + "']";
        String all = String.valueOf(searches);
        List<String> cells = wait.withMessage(() -> "the row shows " + texts(browser, row + " td"))
            .until(b -> {
              List<String> shown = texts(b, row + " td");
              return shown.size() == 12 && shown.get(1).equals(all) ? shown : null;
            });
        assertTrue(Double.parseDouble(cells.get(10)) > 0, "p50: " + cells);
        assertTrue(Double.parseDouble(cells.get(11)) >= Double.parseDouble(cells.get(10)),
            "p99: " + cells);
        // the table is redrawn as messages come: read in one script, not through an element
        assertEquals("true", browser.executeScript(
            "return document.querySelector(arguments[0]).dataset.sampled;", row));
        assertTrue(painted(browser, browser.findElement(By.id("vector-chart"))) > 500,
            "the percentiles draw");
      } finally {
        browser.quit();
      }
      send(commands, "quit");
    }
  }

  @Test
  void theAdviceSectionListsTheAdviceAndDrawsTheRecallCurve() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
            + ",autoscale.enabled=false,vector.recall.rate=0,vector.advice.rate=1,"
            + "vector.advice.budget=100,vector.advice.samples=10", List.of(),
        AgentProcess.poolHostClasspath("pgvector"), VectorHost.class.getName(),
        TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8);
        WsTestClient client = streamOf(host, port, page)) {
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      send(commands, "clustered 2000");
      host.awaitLine(Pattern.compile("^clustered done$"), WAIT);
      send(commands, "searchmany 40 15 1 150");
      JsonNode first = client.await(DashboardIT::isEfSearchAdvice, WAIT).get("data");
      // the advisor goes on re-running the last searches: the page shows its latest advice
      AtomicReference<JsonNode> latest = new AtomicReference<>(first);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        // opened after the advice: the page gets it as part of the state on connect
        browser.get("http://127.0.0.1:" + page + "/");
        // an element found may be redrawn before it is read (the series arrive as the page opens)
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, WAIT)
            .ignoring(StaleElementReferenceException.class);
        // the list is redrawn as events come: read it whole, inside the wait
        String text = wait.until(b -> {
          for (JsonNode message = client.poll(); message != null; message = client.poll()) {
            if (isEfSearchAdvice(message)
                && message.get("data").get("recommended").has("ef_search")) {
              latest.set(message.get("data"));
            }
          }
          String value = latest.get().get("recommended").get("ef_search").asText();
          String shown = b.findElements(By.cssSelector("#advice-list li[data-kind='ef_search']"
              + "[data-collection='" + VectorHost.RECALL_TABLE + "']"))
              .stream().map(WebElement::getText).findFirst().orElse(null);
          return shown != null && (shown.contains("hnsw.ef_search = " + value)
              || shown.contains("up to " + value)) ? shown : null;
        });
        JsonNode advice = latest.get();
        String recommended = advice.get("recommended").get("ef_search").asText();
        assertTrue(text.contains("hnsw.ef_search = " + recommended)
            || text.contains("up to " + recommended), text);
        WebElement curve = wait.until(b -> b.findElements(By.cssSelector("canvas.advice-curve"))
            .stream().filter(c -> recommended.equals(c.getAttribute("data-recommended")))
            .findFirst().orElse(null));
        assertTrue(Integer.parseInt(curve.getAttribute("data-points"))
            >= advice.get("evidence").get("points").size(), curve.getAttribute("data-points"));
        assertTrue(painted(browser, curve) > 500, "the curve draws");
        Files.write(Paths.get("target/dashboard-advice.png"), browser.getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
      send(commands, "quit");
    }
  }

  @Test
  void theQueryTableSortsAndSlowStatementsAndLeaksShowTheirCallSites() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
        + ",queries.interval=1s,slow.threshold=500ms,leak.threshold=1s", List.of(),
        AgentProcess.poolHostClasspath(), QueryHost.class.getName(), TestDatabase.jdbcUrl());
        Writer commands = new OutputStreamWriter(host.stdin(), StandardCharsets.UTF_8)) {
      host.awaitLine(Pattern.compile("dashboard on http://127.0.0.1:" + page + "/$"), WAIT);
      host.awaitLine(Pattern.compile("^host ready$"), WAIT);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        browser.get("http://127.0.0.1:" + page + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> "open".equals(b.findElement(By.id("status")).getAttribute("data-state")));
        send(commands, "shapes");
        host.awaitLine(Pattern.compile("^shapes done$"), WAIT);
        String lookup = "SELECT name FROM pulse_it_queries WHERE id = ? AND name <> ?";
        wait.until(b -> texts(b, "#query-table tbody tr").stream()
            .anyMatch(r -> r.startsWith("query-pool" + lookup + "7")));
        String calls = "#query-table th[data-key='calls']";
        browser.findElement(By.cssSelector(calls)).click();
        wait.until(b -> "7".equals(text(b, "#query-table tbody tr td:nth-child(3)")));
        assertEquals(lookup, text(browser, "#query-table tbody tr td:nth-child(2)"),
            "the most called first");
        browser.findElement(By.cssSelector(calls)).click();
        wait.until(b -> "1".equals(text(b, "#query-table tbody tr td:nth-child(3)")));

        send(commands, "slow");
        wait.until(b -> texts(b, "#slow-list li").stream()
            .anyMatch(t -> t.contains("SELECT pg_sleep(?)") && t.contains("QueryHost.slowReport(")));
        send(commands, "leak");
        wait.until(b -> texts(b, "#leak-list li").stream()
            .anyMatch(t -> t.contains("held") && t.contains("QueryHost.borrowAndKeep(")));
        Files.write(Paths.get("target/dashboard-queries.png"),
            browser.findElement(By.id("queries")).getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
      send(commands, "quit");
      host.awaitExit(WAIT);
    }
  }

  @Test
  void withATokenThePageNeedsItAndTheStreamStillRefusesForeignPages() throws Exception {
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("port=" + port + ",dashboard.port=" + page
        + ",token=t0ken,system.interval=1s", List.of(), AgentProcess.hostClasses(),
        SleepingHost.class.getName(), "60")) {
      host.awaitLine(Pattern.compile("dashboard on http://127.0.0.1:" + page + "/\\?token=\\.\\.\\.$"), WAIT);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + page;
      assertEquals(401, get(http, base + "/").statusCode());
      assertEquals(401, get(http, base + "/config.json?token=wrong").statusCode());
      assertEquals(200, get(http, base + "/dashboard.js").statusCode(), "the script carries nothing");
      assertEquals(404, get(http, base + "/secrets").statusCode());
      HttpResponse<String> ok = get(http, base + "/?token=t0ken");
      assertEquals(200, ok.statusCode());
      assertTrue(ok.headers().firstValue("Content-Security-Policy").orElse("")
          .contains("connect-src 'self' ws://127.0.0.1:" + port + "/"), ok.headers().toString());
      assertEquals("DENY", ok.headers().firstValue("X-Frame-Options").orElse(""));

      ChromeDriver browser = HeadlessChromium.start();
      try {
        browser.get(base + "/?token=t0ken");
        new WebDriverWait(browser, WAIT).until(b -> first(b, "#system-figures [data-figure='heap']"));
      } finally {
        browser.quit();
      }
      String stream = "ws://127.0.0.1:" + port + "/?token=t0ken";
      assertThrows(Exception.class, () -> WsTestClient.open(stream, Map.of("Origin",
          "http://evil.example")), "a foreign page");
      try (WsTestClient fromThePage = WsTestClient.open(stream, Map.of("Origin",
          "http://localhost:" + page))) {
        fromThePage.awaitType("welcome", WAIT);
      }
    }
  }

  /** The stream, once the agent has said it serves the page: a start-up failure shows its output. */
  private static boolean isEfSearchAdvice(JsonNode message) {
    return "vector_advice".equals(message.path("type").asText())
        && "ef_search".equals(message.get("data").get("kind").asText());
  }

  private static WsTestClient streamOf(AgentProcess host, int port, int page) throws Exception {
    host.awaitLine(Pattern.compile("dashboard on http://127.0.0.1:" + page + "/$"), WAIT);
    return WsTestClient.connect("ws://127.0.0.1:" + port + "/", WAIT);
  }

  /** How many pixels of a canvas are drawn on. */
  private static long painted(ChromeDriver browser, WebElement canvas) {
    return (Long) browser.executeScript("const c = arguments[0];"
        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + "let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;",
        canvas);
  }

  /** The texts of every element matching {@code css}, read in one script. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(org.openqa.selenium.WebDriver browser, String css) {
    return (List<String>) ((ChromeDriver) browser).executeScript("return Array.from("
        + "document.querySelectorAll(arguments[0])).map(e => e.textContent);", css);
  }

  private static void send(Writer commands, String line) throws Exception {
    commands.write(line + "\n");
    commands.flush();
  }

  @Test
  void exposedWithATokenThePageWorksByTheMachinesAddressAndForeignPagesStayOut() throws Exception {
    String address = nonLoopbackAddress();
    int port = AgentProcess.freePort();
    int page = AgentProcess.freePort();
    try (AgentProcess host = AgentProcess.start("host=0.0.0.0,port=" + port + ",dashboard.port="
        + page + ",token=t0ken,system.interval=1s", List.of(), AgentProcess.hostClasses(),
        SleepingHost.class.getName(), "60")) {
      // the address really bound, every interface
      host.awaitLine(Pattern.compile("dashboard on http://0.0.0.0:" + page + "/\\?token=\\.\\.\\.$"), WAIT);
      ChromeDriver browser = HeadlessChromium.start();
      try {
        // no origins setting: the page is admitted because it is this machine's, with the token
        browser.get("http://" + address + ":" + page + "/?token=t0ken");
        new WebDriverWait(browser, WAIT).until(b -> first(b, "#system-figures [data-figure='heap']"));
      } finally {
        browser.quit();
      }
      String stream = "ws://" + address + ":" + port + "/?token=t0ken";
      assertThrows(Exception.class, () -> WsTestClient.open(stream, Map.of("Origin",
          "http://evil.example:" + page)), "a page of another name at the same port");
    }
  }

  /** This machine's first IPv4 address that is not loopback: how another machine reaches it. */
  private static String nonLoopbackAddress() throws Exception {
    for (java.net.NetworkInterface nic : java.util.Collections.list(
        java.net.NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
          if (address instanceof java.net.Inet4Address) {
            return address.getHostAddress();
          }
        }
      }
    }
    throw new IllegalStateException("this machine has no IPv4 address but loopback: the test needs"
        + " one to reach the agent as another machine would");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The text of the first element matching {@code css}, or null while there is none. */
  private static String text(org.openqa.selenium.WebDriver browser, String css) {
    return (String) ((ChromeDriver) browser).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
  }

  /** The text of every element the selector finds, one per line, or null when there is none. */
  private static String allText(org.openqa.selenium.WebDriver browser, String css) {
    return (String) ((ChromeDriver) browser).executeScript("const all = [...document.querySelectorAll("
        + "arguments[0])].map(e => e.textContent); return all.length ? all.join('\\n') : null;", css);
  }

  private static WebElement first(org.openqa.selenium.WebDriver browser, String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? null : found.get(0);
  }
}
