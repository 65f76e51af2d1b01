package dev.pulse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The loop of {@link JdbcOverheadBenchmark} (borrow, prepare, execute "SELECT ?", read, close over
 * HikariCP and in-memory H2), measured by what the loop's own thread spends: its CPU time and the
 * bytes it allocates per operation. Unlike wall-clock time, neither counts what other threads (the
 * agent's, other programs') do, so a busy machine blurs them far less.
 *
 * <pre>arguments: OPERATIONS (measured, after as many for warm-up)</pre>
 */
public final class ThreadCostLoop {
  private ThreadCostLoop() {
  }

  public static void main(String[] args) throws Exception {
    int operations = Integer.parseInt(args[0]);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(4);
    config.setPoolName("bench");
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      long sink = loop(dataSource, operations);
      long cpu = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      sink += loop(dataSource, operations);
      double cpuPerOp = (threads.getCurrentThreadCpuTime() - cpu) / (double) operations;
      double bytesPerOp = (threads.getCurrentThreadAllocatedBytes() - allocated) / (double) operations;
      System.out.printf("thread cpu %.0f ns/op   thread alloc %.1f B/op   (%d)%n", cpuPerOp,
          bytesPerOp, sink % 2);
    }
  }

  private static long loop(HikariDataSource dataSource, int operations) throws SQLException {
    long sum = 0;
    for (int i = 0; i < operations; i++) {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement statement = connection.prepareStatement("SELECT ?")) {
        statement.setInt(1, i);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          sum += result.getInt(1);
        }
      }
    }
    return sum;
  }
}
