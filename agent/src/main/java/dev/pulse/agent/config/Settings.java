package dev.pulse.agent.config;

import dev.pulse.agent.autoscale.SizeBound;
import dev.pulse.log.PulseLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every setting the agent reads, in one place. The README's settings table lists exactly these
 * (a test keeps the two in step).
 */
public final class Settings {
  private Settings() {
  }

  public static final Setting<Boolean> ENABLED = new Setting<>("enabled", Part.AGENT, true, "true",
      "true or false", "Switches the whole agent on or off.", ValueParsers.bool(), false);

  public static final Setting<PulseLog.Level> LOG_LEVEL = new Setting<>("log.level", Part.LOGGING,
      PulseLog.Level.INFO, "info", "error, warn, info, debug or off",
      "How much the agent writes to stderr.",
      ValueParsers.oneOf(Arrays.asList("error", "warn", "info", "debug", "off"), PulseLog.Level::parse),
      false);

  public static final Setting<String> HOST = new Setting<>("host", Part.STREAM, "127.0.0.1",
      "127.0.0.1", "an IP address of this machine (0.0.0.0 for all) or localhost",
      "Address the WebSocket stream listens on. Anything but loopback exposes it to the network.",
      ValueParsers.listenAddress(), false);

  public static final Setting<Integer> PORT = new Setting<>("port", Part.STREAM, 8025, "8025",
      "a whole number from 0 to 65535 (0 picks a free port)",
      "Port of the WebSocket stream.", ValueParsers.intRange(0, 65535), false);

  public static final Setting<String> TOKEN = new Setting<>("token", Part.STREAM, null, "(none)",
      "any non-empty text",
      "When set, clients must present it as ?token=... or an Authorization: Bearer header.",
      ValueParsers.nonEmpty(), true);

  public static final Setting<List<String>> ORIGINS = new Setting<>("origins", Part.STREAM,
      Collections.emptyList(), "(none)",
      "comma-separated origins such as http://localhost:3000, or * for any",
      "Web pages (by Origin) that may open the stream besides the server's own. Clients that send"
          + " no Origin, such as command-line tools, are always admitted.",
      ValueParsers.origins(), false);

  public static final Setting<Path> TLS_KEYSTORE = new Setting<>("tls.keystore", Part.STREAM, null,
      "(none)", "a readable PKCS#12 or JKS keystore file",
      "Serve wss:// with the key in this keystore instead of ws://.",
      ValueParsers.readableFile(), false);

  public static final Setting<String> TLS_PASSWORD = new Setting<>("tls.password", Part.STREAM, "",
      "(empty)", "any text", "Password of the keystore and its key.", ValueParsers.anyText(), true);

  public static final Setting<Integer> HISTORY_SIZE = new Setting<>("history.size", Part.STREAM,
      1000, "1000", "a whole number from 1 to 1000000",
      "Messages held per channel for clients that resume after a gap.",
      ValueParsers.intRange(1, 1_000_000),
      false);

  public static final Setting<Integer> QUEUE_CAPACITY = new Setting<>("queue.capacity",
      Part.STREAM, 10_000, "10000", "a whole number from 16 to 1000000",
      "Events waiting to be sent; when full the oldest is dropped and counted.",
      ValueParsers.intRange(16, 1_000_000), false);

  public static final Setting<Integer> CLIENTS_MAX = new Setting<>("clients.max", Part.STREAM, 100,
      "100", "a whole number from 1 to 10000", "Clients connected at once; more are turned away.",
      ValueParsers.intRange(1, 10_000), false);

  public static final Setting<Long> CLIENT_BUFFER = new Setting<>("client.buffer", Part.STREAM,
      1024L * 1024, "1m", "a size from 16k to 1024m, such as 512k or 4m",
      "Bytes queued for one client that it has not read yet; a client over it for a second, or at"
          + " twice it, is closed (4008).",
      ValueParsers.byteSize(16 * 1024, 1024L * 1024 * 1024), false);

  public static final Setting<Long> FRAME_MAX = new Setting<>("frame.max", Part.STREAM, 64L * 1024,
      "64k", "a size from 1k to 16m",
      "Largest message a client may send, in one frame or over its fragments; larger ones close it"
          + " (1009).",
      ValueParsers.byteSize(1024, 16L * 1024 * 1024), false);

  public static final Setting<Duration> PING_INTERVAL = new Setting<>("ping.interval", Part.STREAM,
      Duration.ofSeconds(30), "30s", "a duration from 0s to 1h such as 30s (0 turns pings off)",
      "How often idle clients are pinged; one that stops answering is dropped.",
      ValueParsers.duration(Duration.ZERO, Duration.ofHours(1)), false);

  public static final Setting<Long> HANDSHAKE_SIZE = new Setting<>("handshake.size", Part.STREAM,
      16L * 1024, "16k", "a size from 1k to 1m",
      "Largest WebSocket handshake request; a larger one is refused (431) and closed.",
      ValueParsers.byteSize(1024, 1024L * 1024), false);

  public static final Setting<Duration> HANDSHAKE_TIMEOUT = new Setting<>("handshake.timeout",
      Part.STREAM, Duration.ofSeconds(10), "10s", "a duration from 1s to 5m such as 10s",
      "A connection that has not completed its handshake (and been admitted) within this time is"
          + " closed.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)), false);

  public static final Setting<Integer> HANDSHAKES_MAX = new Setting<>("handshakes.max",
      Part.STREAM, 64, "64", "a whole number from 1 to 10000",
      "Connections at once that have not completed their handshake; more are closed at once.",
      ValueParsers.intRange(1, 10_000), false);

  public static final Setting<Duration> SYSTEM_INTERVAL = new Setting<>("system.interval",
      Part.SYSTEM, Duration.ofSeconds(30), "30s", "a duration from 1s to 1h such as 30s",
      "How often system_stats is published.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), false);

  public static final Setting<Boolean> DASHBOARD_ENABLED = new Setting<>("dashboard.enabled",
      Part.DASHBOARD, true, "true", "true or false",
      "Serve the dashboard page (same address as the stream; same token rule).",
      ValueParsers.bool(), false);

  public static final Setting<Integer> DASHBOARD_PORT = new Setting<>("dashboard.port",
      Part.DASHBOARD, 8026, "8026", "a whole number from 0 to 65535 (0 picks a free port)",
      "Port of the dashboard page; its origin may always open the stream.",
      ValueParsers.intRange(0, 65535), false);

  public static final Setting<Boolean> ALERT_ENABLED = new Setting<>("alert.enabled",
      Part.ALERTS, true, "true", "true or false",
      "Raise and clear alert events when heap, CPU, pool saturation or error rate cross a threshold.",
      ValueParsers.bool(), false);

  public static final Setting<Duration> ALERT_INTERVAL = new Setting<>("alert.interval",
      Part.ALERTS, Duration.ofSeconds(5), "5s", "a duration from 100ms to 1h such as 5s",
      "How often the alert thresholds are checked.",
      ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)), false);

  public static final Setting<Integer> ALERT_HEAP = new Setting<>("alert.heap", Part.ALERTS, 90,
      "90", "a percent from 1 to 100", "Heap used, percent of the maximum, at which an alert fires.",
      ValueParsers.intRange(1, 100), false);

  public static final Setting<Integer> ALERT_CPU = new Setting<>("alert.cpu", Part.ALERTS, 90,
      "90", "a percent from 1 to 100", "Process CPU, percent of all cores, at which an alert fires.",
      ValueParsers.intRange(1, 100), false);

  public static final Setting<Integer> ALERT_POOL = new Setting<>("alert.pool", Part.ALERTS, 100,
      "100", "a percent from 1 to 100",
      "Pool utilization (active / maximum) at which a pool's saturation alert fires.",
      ValueParsers.intRange(1, 100), false);

  public static final Setting<Double> ALERT_ERRORS = new Setting<>("alert.errors", Part.ALERTS,
      5.0, "5", "a percent from 0.1 to 100",
      "Failed statements, percent of those in the last interval, at which an alert fires.",
      ValueParsers.decimalRange(0.1, 100), false);

  public static final Setting<Integer> ALERT_ERRORS_MIN = new Setting<>("alert.errors.min",
      Part.ALERTS, 10, "10", "a whole number from 1 to 1000000",
      "Fewest statements in an interval for its error rate to count (a few failures of a few"
          + " statements are not a rate).",
      ValueParsers.intRange(1, 1_000_000), false);

  public static final Setting<Integer> ALERT_FIRE_AFTER = new Setting<>("alert.fire.after",
      Part.ALERTS, 2, "2", "a whole number from 1 to 1000",
      "Checks in a row at or over a threshold before its alert fires.",
      ValueParsers.intRange(1, 1000), false);

  public static final Setting<Integer> ALERT_CLEAR_AFTER = new Setting<>("alert.clear.after",
      Part.ALERTS, 2, "2", "a whole number from 1 to 1000",
      "Checks in a row under the clear level before a firing alert resolves.",
      ValueParsers.intRange(1, 1000), false);

  public static final Setting<Integer> ALERT_HYSTERESIS = new Setting<>("alert.hysteresis",
      Part.ALERTS, 10, "10", "a percent from 0 to 90",
      "How far under its threshold a value must fall to clear, as a percent of the threshold:"
          + " 10 clears a 90% heap alert under 81%.",
      ValueParsers.intRange(0, 90), false);

  public static final Setting<Boolean> JDBC_ENABLED = new Setting<>("jdbc.enabled", Part.JDBC,
      true, "true", "true or false",
      "Instrument DataSource.getConnection, statement execution and HikariCP pools.",
      ValueParsers.bool(), false);

  public static final Setting<Boolean> JDBC_PREWOVEN = new Setting<>("jdbc.prewoven", Part.JDBC,
      true, "true", "true or false",
      "Take the weaving the agent's build did for the library versions its tests weave (HikariCP"
          + " 5.1, 6.3 and 7.1, pgjdbc 42.7.8, H2 2.3.232); false weaves those classes as they load,"
          + " like any other.",
      ValueParsers.bool(), false);

  public static final Setting<Duration> POOL_INTERVAL = new Setting<>("pool.interval", Part.POOLS,
      Duration.ofSeconds(5), "5s", "a duration from 1s to 1h such as 5s",
      "How often pool_stats is published for each pool, and vector_stats for each collection"
          + " searched since the last.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), false);

  public static final Setting<Duration> POOL_WINDOW = new Setting<>("pool.window", Part.POOLS,
      Duration.ofSeconds(10), "10s", "a duration from 1s to 60s such as 10s",
      "The window of qps, avg_query_time and max_wait_time.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofSeconds(60)), false);

  public static final Setting<Boolean> AUTOSCALE_ENABLED = new Setting<>("autoscale.enabled",
      Part.AUTOSCALE, true, "true", "true or false",
      "Size HikariCP pools adaptively; off leaves every pool as the application set it.",
      ValueParsers.bool(), false);

  public static final Setting<Duration> AUTOSCALE_INTERVAL = new Setting<>("autoscale.interval",
      Part.AUTOSCALE, Duration.ofSeconds(1), "1s", "a duration from 100ms to 1m such as 1s",
      "How often the sizer samples each pool.",
      ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(1)), false);

  public static final Setting<Integer> AUTOSCALE_HIGH = new Setting<>("autoscale.high",
      Part.AUTOSCALE, 80, "80", "a percent from 1 to 100",
      "Demand (connections in use plus threads waiting for one) above this share of the maximum"
          + " grows the pool in one move to where demand fills it to this share.",
      ValueParsers.intRange(1, 100), false);

  public static final Setting<Integer> AUTOSCALE_LOW = new Setting<>("autoscale.low",
      Part.AUTOSCALE, 30, "30", "a percent from 0 to 99",
      "Demand at or under this share of the maximum, with no thread waiting, counts as quiet.",
      ValueParsers.intRange(0, 99), false);

  public static final Setting<Integer> AUTOSCALE_GROW_AFTER = new Setting<>("autoscale.grow.after",
      Part.AUTOSCALE, 1, "1", "a whole number from 1 to 1000",
      "Samples in a row with demand above autoscale.high before the pool grows.",
      ValueParsers.intRange(1, 1000), false);

  public static final Setting<Integer> AUTOSCALE_SHRINK_AFTER = new Setting<>(
      "autoscale.shrink.after", Part.AUTOSCALE, 3, "3", "a whole number from 1 to 10000",
      "Quiet samples in a row before the pool shrinks; it then gives back half its surplus each"
          + " sample while the quiet lasts.", ValueParsers.intRange(1, 10_000), false);

  public static final Setting<Duration> AUTOSCALE_WAIT = new Setting<>("autoscale.wait",
      Part.AUTOSCALE, Duration.ofMillis(10), "10ms", "a duration from 1ms to 1m such as 10ms",
      "A borrow that waited this long has its pool sampled at once rather than at the next"
          + " interval (at most every 100 ms per pool).",
      ValueParsers.duration(Duration.ofMillis(1), Duration.ofMinutes(1)), false);

  public static final Setting<Duration> AUTOSCALE_WARMUP = new Setting<>("autoscale.warmup",
      Part.AUTOSCALE, Duration.ofSeconds(3), "3s", "a duration from 0s to 10m such as 3s",
      "The sizer leaves a pool alone for this long after it first samples it: a pool's first"
          + " seconds are its start (filling, the first borrows), not its load.",
      ValueParsers.duration(Duration.ZERO, Duration.ofMinutes(10)), false);

  public static final Setting<SizeBound> AUTOSCALE_FLOOR = new Setting<>("autoscale.floor",
      Part.AUTOSCALE, SizeBound.multipleOfConfigured(1), "1x",
      "a number of connections, or a multiple of the configured size such as 1x",
      "The sizer never shrinks a pool below this.", ValueParsers.sizeBound(), false);

  public static final Setting<SizeBound> AUTOSCALE_CEILING = new Setting<>("autoscale.ceiling",
      Part.AUTOSCALE, SizeBound.multipleOfConfigured(4), "4x",
      "a number of connections, or a multiple of the configured size such as 4x",
      "The sizer never grows a pool above this (nor past the server's max_connections, less"
          + " autoscale.headroom).", ValueParsers.sizeBound(), false);

  public static final Setting<Duration> AUTOSCALE_COOLDOWN = new Setting<>("autoscale.cooldown",
      Part.AUTOSCALE, Duration.ofMillis(500), "500ms", "a duration from 0s to 1h such as 500ms",
      "Least time between two resizes of a pool, whoever made the last one, except a grow right"
          + " after the sizer's own grow (a queue that outgrew it).",
      ValueParsers.duration(Duration.ZERO, Duration.ofHours(1)), false);

  public static final Setting<Double> AUTOSCALE_LATENCY_FACTOR = new Setting<>(
      "autoscale.latency.factor", Part.AUTOSCALE, 1.5, "1.5", "a number from 1.0 to 10",
      "No further growth while statement time exceeds this multiple of what it was before the last"
          + " grow (the database, not the pool, is then the bottleneck).",
      ValueParsers.decimalRange(1.0, 10), false);

  public static final Setting<Integer> AUTOSCALE_HEADROOM = new Setting<>("autoscale.headroom",
      Part.AUTOSCALE, 10, "10", "a percent from 0 to 90",
      "Share of the server's max_connections (PostgreSQL) the sizer never takes.",
      ValueParsers.intRange(0, 90), false);

  public static final Setting<List<String>> AUTOSCALE_OFF = new Setting<>("autoscale.off",
      Part.AUTOSCALE, Collections.emptyList(), "(none)", "comma-separated pool names",
      "Pools the sizer leaves alone.", ValueParsers.names(), false);

  public static final Setting<Boolean> VECTOR_ENABLED = new Setting<>("vector.enabled",
      Part.VECTOR, true, "true", "true or false",
      "Recognize pgvector searches and publish search_completed.", ValueParsers.bool(), false);

  public static final Setting<Integer> VECTOR_EVENTS_RATE = new Setting<>("vector.events.rate",
      Part.VECTOR, 50, "50", "a whole number from 0 to 1000000 (0 sends every search)",
      "search_completed per collection and second above which they are sampled, each saying how"
          + " many searches it stands for (sample_weight); vector_stats then carries the exact"
          + " figures every pool.interval.",
      ValueParsers.intRange(0, 1_000_000), false);

  public static final Setting<Double> VECTOR_RECALL_RATE = new Setting<>("vector.recall.rate",
      Part.VECTOR, 0.05, "0.05", "a number from 0 to 1 (0 turns recall measurement off)",
      "Share of vector searches re-run exactly, off the application's threads, to measure recall.",
      ValueParsers.decimalRange(0, 1), false);

  public static final Setting<Integer> VECTOR_RECALL_BUDGET = new Setting<>("vector.recall.budget",
      Part.VECTOR, 2, "2", "a whole number from 1 to 1000",
      "Most exact re-runs per second, whatever the rate: each costs the database one exact scan.",
      ValueParsers.intRange(1, 1000), false);

  public static final Setting<Double> VECTOR_RECALL_TARGET = new Setting<>("vector.recall.target",
      Part.VECTOR, 0.95, "0.95", "a number from 0.5 to 1",
      "Recall@k the advisor's recommended ef_search (or probes) must reach.",
      ValueParsers.decimalRange(0.5, 1), false);

  public static final Setting<Boolean> VECTOR_ADVICE_ENABLED = new Setting<>("vector.advice.enabled",
      Part.VECTOR, true, "true", "true or false",
      "Publish vector_advice: a missing vector index, searches returning fewer rows than k, the"
          + " ef_search or probes that reaches the recall target (from sampled re-runs on a"
          + " connection of the agent's own).",
      ValueParsers.bool(), false);

  public static final Setting<Double> VECTOR_ADVICE_RATE = new Setting<>("vector.advice.rate",
      Part.VECTOR, 0.05, "0.05", "a number from 0 to 1 (0 samples nothing)",
      "Share of vector searches the advisor samples (plan check, recall curve).",
      ValueParsers.decimalRange(0, 1), false);

  public static final Setting<Integer> VECTOR_ADVICE_BUDGET = new Setting<>("vector.advice.budget",
      Part.VECTOR, 1, "1", "a whole number from 1 to 100",
      "Most searches the advisor samples per second: each costs the database one exact search and"
          + " one search per curve value (6 for HNSW, 7 for IVFFlat, one more for a value in effect"
          + " outside them), at most one EXPLAIN.",
      ValueParsers.intRange(1, 100), false);

  public static final Setting<Integer> VECTOR_ADVICE_ROWS = new Setting<>("vector.advice.rows",
      Part.VECTOR, 10_000, "10000", "a whole number from 0 to 2000000000",
      "A table with more rows (pg_class.reltuples) searched without a vector index gets no_index"
          + " advice.",
      ValueParsers.intRange(0, 2_000_000_000), false);

  public static final Setting<Double> VECTOR_ADVICE_SHORT = new Setting<>("vector.advice.short",
      Part.VECTOR, 0.1, "0.1", "a number from 0.01 to 1",
      "Share of a collection's searches returning fewer rows than k (over at least 20) that gets"
          + " short_results advice (iterative scans).",
      ValueParsers.decimalRange(0.01, 1), false);

  public static final Setting<Integer> VECTOR_ADVICE_SAMPLES = new Setting<>("vector.advice.samples",
      Part.VECTOR, 30, "30", "a whole number from 2 to 100000",
      "Searches re-run along the recall curve before it recommends a value (the 95% interval's"
          + " half-width is at most 0.98 / the square root of it).",
      ValueParsers.intRange(2, 100_000), false);

  public static final Setting<Duration> VECTOR_ADVICE_INTERVAL = new Setting<>(
      "vector.advice.interval", Part.VECTOR, Duration.ofSeconds(60), "60s",
      "a duration from 1s to 1d such as 60s",
      "Least time between two plan checks (EXPLAIN) of a collection.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofDays(1)), false);

  public static final Setting<Boolean> VECTOR_TUNE = new Setting<>("vector.tune", Part.VECTOR,
      false, "false", "true or false",
      "Set the recommended hnsw.ef_search / ivfflat.probes on the application's connections (one"
          + " SET per connection and change, as it is borrowed, outside any transaction), and go"
          + " back when searches slow down or recall falls below the target.",
      ValueParsers.bool(), false);

  public static final Setting<Boolean> FIREWALL_ENABLED = new Setting<>("firewall.enabled",
      Part.FIREWALL, true, "true", "true or false",
      "Classify data-layer failures and publish error_intercepted (it only observes).",
      ValueParsers.bool(), false);

  public static final Setting<Duration> FIREWALL_WINDOW = new Setting<>("firewall.window",
      Part.FIREWALL, Duration.ofSeconds(10), "10s", "a duration from 1s to 1h such as 10s",
      "Repeats of a failure within this window are counted and reported once, as suppressed.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), false);

  public static final Setting<Path> FIREWALL_RULES = new Setting<>("firewall.rules",
      Part.FIREWALL, null, "(none)", "a readable JSON rules file (docs/firewall-rules.md)",
      "Your own classification rules, tried before the built-in ones; a broken file is refused"
          + " with its line and the built-in rules stay on.",
      ValueParsers.readableFile(), false);

  public static final Setting<Boolean> FIREWALL_FAILFAST = new Setting<>("firewall.failfast",
      Part.FIREWALL, false, "false", "true or false",
      "While a pool's database is unreachable, make getConnection fail at once (SQLState 08001)"
          + " instead of waiting out the connection timeout; probes find it back.",
      ValueParsers.bool(), false);

  public static final Setting<Duration> FIREWALL_PROBE = new Setting<>("firewall.probe",
      Part.FIREWALL, Duration.ofSeconds(1), "1s", "a duration from 100ms to 1m such as 1s",
      "First wait before a probe goes through while failing fast; it doubles up to 30 s.",
      ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(1)), false);

  public static final Setting<Boolean> REDACT = new Setting<>("redact", Part.FIREWALL, true, "true",
      "true or false",
      "Take literal values (bound parameters, SQL literals, key values) out of every driver message"
          + " the agent publishes; false publishes them as they are, for a trusted machine only.",
      ValueParsers.bool(), false);

  public static final Setting<String> OTLP_ENDPOINT = new Setting<>("otlp.endpoint", Part.EXPORT,
      null, "(none)", "an http:// or https:// URL such as http://collector:4318",
      "Push metrics and events by OTLP (HTTP, protobuf) to this base URL (/v1/metrics and /v1/logs"
          + " are appended). Off by default; the standard OTEL_EXPORTER_OTLP_ENDPOINT,"
          + " OTEL_EXPORTER_OTLP_METRICS_ENDPOINT and OTEL_EXPORTER_OTLP_LOGS_ENDPOINT variables turn"
          + " it on too (see docs/fleet.md).",
      ValueParsers.httpUrl(), false);

  public static final Setting<Duration> OTLP_INTERVAL = new Setting<>("otlp.interval", Part.EXPORT,
      Duration.ofSeconds(60), "60s", "a duration from 1s to 1h such as 60s",
      "How often metrics are pushed by OTLP.",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), false);

  public static final Setting<Double> OTLP_SEARCH_SAMPLE = new Setting<>("otlp.search.sample",
      Part.EXPORT, 0.01, "0.01", "a number from 0 to 1 (0 exports none)",
      "Share of search_completed events also pushed as OTLP log records (the other events are all"
          + " pushed; vector search metrics count every search).",
      ValueParsers.decimalRange(0, 1), false);

  public static final Setting<Boolean> METRICS_ENABLED = new Setting<>("metrics.enabled",
      Part.EXPORT, false, "false", "true or false",
      "Serve the same metrics for Prometheus at /metrics on the dashboard's port (same token and"
          + " Host rules as the page).",
      ValueParsers.bool(), false);

  public static final Setting<Boolean> QUERIES_ENABLED = new Setting<>("queries.enabled",
      Part.QUERIES, true, "true", "true or false",
      "Group statements per pool by shape (literals folded) and publish query_stats and slow_query.",
      ValueParsers.bool(), false);

  public static final Setting<Duration> QUERIES_INTERVAL = new Setting<>("queries.interval",
      Part.QUERIES, Duration.ofSeconds(10), "10s", "a duration from 1s to 1h such as 10s",
      "How often query_stats is published for each pool (its 50 shapes of most total time).",
      ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), false);

  public static final Setting<Integer> QUERIES_MAX = new Setting<>("queries.max", Part.QUERIES,
      2000, "2000", "a whole number from 10 to 100000",
      "Most statement shapes kept over all pools; past it the least called tenth is evicted (and"
          + " counted).",
      ValueParsers.intRange(10, 100_000), false);

  public static final Setting<Duration> SLOW_THRESHOLD = new Setting<>("slow.threshold",
      Part.QUERIES, Duration.ofSeconds(1), "1s",
      "a duration from 0s to 1h such as 1s (0 turns slow statements off)",
      "A statement at least this slow publishes slow_query with its call site (one per shape and"
          + " pool per 10 s, the others counted).",
      ValueParsers.duration(Duration.ZERO, Duration.ofHours(1)), false);

  public static final Setting<Duration> LEAK_THRESHOLD = new Setting<>("leak.threshold",
      Part.LEAKS, Duration.ZERO, "0s", "a duration from 0s to 1d such as 30s (0 turns it off)",
      "A connection held this long publishes connection_leak with where it was borrowed, and again"
          + " when returned; pool_exhausted then names the longest holders. Costs each borrow a"
          + " stack capture (docs/benchmarks.md).",
      ValueParsers.duration(Duration.ZERO, Duration.ofDays(1)), false);

  /** All settings, in the order the README lists them. */
  public static final List<Setting<?>> ALL = Collections.unmodifiableList(Arrays.asList(
      ENABLED, LOG_LEVEL, HOST, PORT, TOKEN, ORIGINS, TLS_KEYSTORE, TLS_PASSWORD, HISTORY_SIZE,
      QUEUE_CAPACITY, CLIENTS_MAX, CLIENT_BUFFER, FRAME_MAX, PING_INTERVAL, HANDSHAKE_SIZE,
      HANDSHAKE_TIMEOUT, HANDSHAKES_MAX, SYSTEM_INTERVAL,
      DASHBOARD_ENABLED, DASHBOARD_PORT, ALERT_ENABLED, ALERT_INTERVAL, ALERT_HEAP, ALERT_CPU,
      ALERT_POOL, ALERT_ERRORS, ALERT_ERRORS_MIN, ALERT_FIRE_AFTER, ALERT_CLEAR_AFTER,
      ALERT_HYSTERESIS,
      JDBC_ENABLED, JDBC_PREWOVEN, POOL_INTERVAL, POOL_WINDOW, AUTOSCALE_ENABLED, AUTOSCALE_INTERVAL,
      AUTOSCALE_HIGH, AUTOSCALE_LOW, AUTOSCALE_GROW_AFTER, AUTOSCALE_SHRINK_AFTER, AUTOSCALE_WAIT,
      AUTOSCALE_WARMUP, AUTOSCALE_FLOOR, AUTOSCALE_CEILING, AUTOSCALE_COOLDOWN, AUTOSCALE_LATENCY_FACTOR,
      AUTOSCALE_HEADROOM, AUTOSCALE_OFF, VECTOR_ENABLED, VECTOR_EVENTS_RATE, VECTOR_RECALL_RATE,
      VECTOR_RECALL_BUDGET, VECTOR_RECALL_TARGET, VECTOR_ADVICE_ENABLED, VECTOR_ADVICE_RATE,
      VECTOR_ADVICE_BUDGET, VECTOR_ADVICE_ROWS, VECTOR_ADVICE_SHORT, VECTOR_ADVICE_SAMPLES,
      VECTOR_ADVICE_INTERVAL, VECTOR_TUNE, FIREWALL_ENABLED, FIREWALL_WINDOW, FIREWALL_RULES,
      FIREWALL_FAILFAST, FIREWALL_PROBE, REDACT, OTLP_ENDPOINT, OTLP_INTERVAL, OTLP_SEARCH_SAMPLE,
      METRICS_ENABLED, QUERIES_ENABLED, QUERIES_INTERVAL, QUERIES_MAX, SLOW_THRESHOLD,
      LEAK_THRESHOLD));
}
