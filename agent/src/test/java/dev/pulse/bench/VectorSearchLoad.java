package dev.pulse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * pgvector kNN searches back to back on one thread, as an application sends them: k = 10 over
 * 20,000 clustered 64-d vectors with an HNSW index, through HikariCP. It knows nothing of any
 * agent: scripts/bench-all.sh runs it without one, with Pulse and with the OpenTelemetry agent.
 * Prints, over the measured seconds: searches per second, the process's CPU per search (all
 * threads, user + system), and, where Pulse runs, its broadcaster thread's CPU per search and that
 * of all its threads ({@code pulse-*}: recall re-runs, advice, series, events); then the searching
 * thread's own CPU and allocation per search (what an agent adds on the application's thread). The process's
 * figure swings by tens of microseconds between runs of one configuration here (how often the
 * search thread sleeps and wakes around PostgreSQL's answer); the agent's threads are its own.
 *
 * <p>Usage: VectorSearchLoad JDBC_URL [seconds [warm-up seconds]] (defaults 15 and 10). The table
 * {@code pulse_bench_knn} is created once and kept.
 */
public final class VectorSearchLoad {
  private static final int ROWS = 20_000;
  private static final int DIMENSIONS = 64;

  private VectorSearchLoad() {
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(2);
    config.setPoolName("knn");
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      prepare(dataSource);
      Random random = new Random(7);
      search(dataSource, random, warmUp * 1_000_000_000L);
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Thread dispatcher = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("pulse-broadcaster")).findFirst().orElse(null);
      com.sun.management.ThreadMXBean self = (com.sun.management.ThreadMXBean) threads;
      long cpuBefore = os.getProcessCpuTime();
      long searchThreadBefore = threads.getCurrentThreadCpuTime();
      long allocatedBefore = self.getCurrentThreadAllocatedBytes();
      long dispatcherBefore = dispatcher == null ? 0 : threads.getThreadCpuTime(dispatcher.getId());
      Map<Long, Long> agentBefore = agentThreadsCpu(threads);
      long start = System.nanoTime();
      long searches = search(dataSource, random, seconds * 1_000_000_000L);
      long elapsed = System.nanoTime() - start;
      long cpu = os.getProcessCpuTime() - cpuBefore;
      long searchThread = threads.getCurrentThreadCpuTime() - searchThreadBefore;
      long allocated = self.getCurrentThreadAllocatedBytes() - allocatedBefore;
      String dispatcherPerSearch = dispatcher == null ? "-" : String.format(Locale.ROOT, "%.2f",
          (threads.getThreadCpuTime(dispatcher.getId()) - dispatcherBefore) / 1e3 / searches);
      long agentNanos = 0;
      for (Map.Entry<Long, Long> thread : agentThreadsCpu(threads).entrySet()) {
        agentNanos += thread.getValue() - agentBefore.getOrDefault(thread.getKey(), 0L);
      }
      String agentPerSearch = dispatcher == null ? "-"
          : String.format(Locale.ROOT, "%.2f", agentNanos / 1e3 / searches);
      System.out.printf(Locale.ROOT, "searches/s %.0f cpu_us_per_search %.1f"
          + " dispatcher_us_per_search %s agent_threads_us_per_search %s"
          + " search_thread_us_per_search %.1f search_thread_bytes_per_search %d%n",
          searches * 1e9 / elapsed, cpu / 1e3 / searches, dispatcherPerSearch, agentPerSearch,
          searchThread / 1e3 / searches, allocated / searches);
    }
  }

  /**
   * CPU of each of Pulse's threads (named {@code pulse-*}), by thread id: one started meanwhile
   * counts from its start; one that ended meanwhile is not counted.
   */
  private static Map<Long, Long> agentThreadsCpu(ThreadMXBean threads) {
    Map<Long, Long> cpu = new HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      long nanos = threads.getThreadCpuTime(thread.getId());
      if (thread.getName().startsWith("pulse-") && nanos >= 0) {
        cpu.put(thread.getId(), nanos);
      }
    }
    return cpu;
  }

  private static long search(HikariDataSource dataSource, Random random, long nanos)
      throws SQLException {
    long end = System.nanoTime() + nanos;
    long count = 0;
    String sql = "SELECT id FROM pulse_bench_knn ORDER BY embedding <-> ?::vector LIMIT 10";
    while (System.nanoTime() < end) {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, vector(random));
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            result.getLong(1);
          }
        }
      }
      count++;
    }
    return count;
  }

  private static void prepare(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
      try (ResultSet exists = statement.executeQuery(
          "SELECT count(*) FROM pg_indexes WHERE tablename = 'pulse_bench_knn'")) {
        exists.next();
        if (exists.getInt(1) > 0) {
          return;
        }
      }
      statement.execute("DROP TABLE IF EXISTS pulse_bench_knn");
      statement.execute("CREATE TABLE pulse_bench_knn (id bigserial, embedding vector("
          + DIMENSIONS + "))");
      statement.execute("SELECT setseed(0.5)");
      statement.execute("INSERT INTO pulse_bench_knn (embedding) SELECT (SELECT array_agg("
          + "(i % 50) * 0.1 + random() * 0.05 + d * 0) FROM generate_series(1, " + DIMENSIONS
          + ") d)::vector FROM generate_series(1, " + ROWS + ") i");
      statement.execute("CREATE INDEX ON pulse_bench_knn USING hnsw (embedding vector_l2_ops)");
      statement.execute("ANALYZE pulse_bench_knn");
    }
  }

  private static String vector(Random random) {
    StringBuilder vector = new StringBuilder("[");
    int cluster = random.nextInt(50);
    for (int d = 0; d < DIMENSIONS; d++) {
      vector.append(d == 0 ? "" : ",").append(cluster * 0.1 + random.nextDouble() * 0.05);
    }
    return vector.append(']').toString();
  }
}
